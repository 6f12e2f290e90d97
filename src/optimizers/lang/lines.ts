import type { Expr } from './ast.ts';
import { namesIn } from './ast.ts';
import { constants, functions } from './functions.ts';
import { FormulaFault } from './lexer.ts';
import { LIMITS } from './limits.ts';
import { parseFormula } from './parser.ts';

/** A located refusal in a rule or schedule text. `message` is complete and ready to show. */
export interface TextError {
  /** 1-based line of the text. */
  readonly line: number;
  /** 1-based column of the offending piece in that line. */
  readonly column: number;
  readonly message: string;
}

/** One `target = formula` line, split and parsed. */
export interface FormulaLine {
  readonly line: number;
  /** The formula as typed, trimmed. */
  readonly source: string;
  readonly expr: Expr;
}

export const located = (line: number, column: number, what: string, msg: string): TextError => ({
  line,
  column,
  message: `line ${line}, column ${column} (${what}): ${msg}`,
});

/** Names no rule or schedule may declare: the inputs, the constants and the functions. */
export const RESERVED: ReadonlySet<string> = new Set([
  'param',
  'grad',
  'lr',
  'step',
  'pct',
  'total',
  'hyper',
  'state',
  'let',
  'name',
  ...constants.keys(),
  ...functions.keys(),
]);

const IDENT = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Why `name` cannot be declared, or undefined if it can. */
export const badName = (name: string): string | undefined => {
  if (!IDENT.test(name))
    return `'${name}' is not a name: use letters, digits and _, starting with a letter`;
  if (name.length > LIMITS.nameChars)
    return `the name '${name}' is longer than ${LIMITS.nameChars} characters`;
  if (RESERVED.has(name)) return `'${name}' is a built-in name; choose another`;
  // Values are looked up in plain records: a name every object already has would find that.
  if (name in Object.prototype) return `'${name}' is not allowed as a name; choose another`;
  return undefined;
};

/** The text of a line without its `#` comment. */
export const stripComment = (raw: string): string => {
  const hash = raw.indexOf('#');
  return hash < 0 ? raw : raw.slice(0, hash);
};

/**
 * Parses the formula that starts at `column0` (0-based) of line `line`, and checks that it
 * uses only `allowed` names (constants aside). `why` explains, per name, a refusal that is
 * more helpful than "unknown name" (a name used before its line, say).
 */
export const parseLineFormula = (
  text: string,
  line: number,
  column0: number,
  what: string,
  allowed: ReadonlySet<string>,
  why: (name: string) => string | undefined = () => undefined,
): FormulaLine | TextError => {
  const lead = text.length - text.trimStart().length;
  const source = text.trim();
  if (source === '') return located(line, column0 + 1, what, 'the formula is empty');
  let expr: Expr;
  try {
    expr = parseFormula(source);
  } catch (err) {
    if (!(err instanceof FormulaFault)) throw err;
    return located(line, column0 + lead + err.at + 1, what, err.message);
  }
  for (const { name, at } of namesIn(expr)) {
    if (allowed.has(name) || constants.has(name)) continue;
    const col = column0 + lead + at + 1;
    const reason = why(name);
    if (reason !== undefined) return located(line, col, what, reason);
    const known = [...allowed].join(', ');
    return located(line, col, what, `unknown name '${name}'; here you may use ${known}, pi, e`);
  }
  return { line, source, expr };
};

export const isError = (x: object): x is TextError => 'message' in x;
