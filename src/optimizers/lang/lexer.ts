/** One token of a formula, with its 0-based offset. */
export type Token =
  | { readonly kind: 'num'; readonly text: string; readonly value: number; readonly at: number }
  | { readonly kind: 'name'; readonly text: string; readonly at: number }
  | { readonly kind: 'op'; readonly text: string; readonly at: number }
  | { readonly kind: 'end'; readonly text: ''; readonly at: number };

/** A refusal at one place in a formula. */
export class FormulaFault extends Error {
  constructor(
    readonly at: number,
    message: string,
  ) {
    super(message);
  }
}

const OPS = ['<=', '>=', '==', '!=', '+', '-', '*', '/', '^', '(', ')', ',', '?', ':', '<', '>'];

/** Characters mathjs would accept but this language refuses, with the reason in the user's words. */
const refused: Readonly<Record<string, string>> = {
  '=': 'assignment is not allowed inside a formula',
  '.': 'property access is not allowed',
  '[': 'matrices are not allowed',
  ']': 'matrices are not allowed',
  '{': 'objects are not allowed',
  '}': 'objects are not allowed',
  '"': 'strings are not allowed',
  "'": 'strings (and transposes) are not allowed',
  '`': 'strings are not allowed',
  ';': 'one formula per line: ";" is not allowed',
  '!': "'!' (factorial, not) is not allowed",
  '%': "'%' (mod, percent) is not allowed",
  '&': "'&' is not allowed",
  '|': "'|' is not allowed",
  '~': "'~' is not allowed",
};

const NUMBER = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Splits a formula into numbers, names and operators; refuses anything else where it stands. */
export const tokenize = (text: string): Token[] => {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const num = NUMBER.exec(rest);
    if (num) {
      const value = Number(num[0]);
      if (!Number.isFinite(value)) throw new FormulaFault(i, `the number ${num[0]} is too large`);
      tokens.push({ kind: 'num', text: num[0], value, at: i });
      i += num[0].length;
      continue;
    }
    const name = NAME.exec(rest);
    if (name) {
      tokens.push({ kind: 'name', text: name[0], at: i });
      i += name[0].length;
      continue;
    }
    const op = OPS.find((o) => rest.startsWith(o));
    if (op) {
      tokens.push({ kind: 'op', text: op, at: i });
      i += op.length;
      continue;
    }
    const c = rest.charAt(0);
    throw new FormulaFault(i, refused[c] ?? `the character '${c}' is not allowed`);
  }
  tokens.push({ kind: 'end', text: '', at: text.length });
  return tokens;
};
