import type { Comparison } from '../ops.ts';
import { comparisons } from '../ops.ts';
import type { BinaryOp, Expr } from './ast.ts';
import { functions } from './functions.ts';
import type { Token } from './lexer.ts';
import { FormulaFault, tokenize } from './lexer.ts';
import { LIMITS } from './limits.ts';

const functionList = [...functions.keys()].join(', ');

const isComparison = (t: string): t is Comparison => (comparisons as readonly string[]).includes(t);

/**
 * Parses one formula in the mathjs subset the rule language allows, with mathjs's precedence:
 * `c ? a : b` lowest, then one comparison, `+ -`, `* /`, unary `- +`, and `^` (right-associative,
 * tighter than unary minus: `-x^2` is `-(x^2)`). Throws `FormulaFault` at the first refusal.
 */
export const parseFormula = (text: string): Expr => {
  if (text.length > LIMITS.formulaChars) {
    throw new FormulaFault(
      LIMITS.formulaChars,
      `the formula is ${text.length} characters long; the limit is ${LIMITS.formulaChars}`,
    );
  }
  const tokens = tokenize(text);
  let pos = 0;
  let depth = 0;
  const peek = (): Token => tokens[pos] ?? { kind: 'end', text: '', at: text.length };
  const next = (): Token => {
    const t = peek();
    pos = Math.min(pos + 1, tokens.length - 1);
    return t;
  };
  const describe = (t: Token) => (t.kind === 'end' ? 'the end of the formula' : `'${t.text}'`);
  const expect = (op: string, what: string): void => {
    const t = next();
    if (t.kind !== 'op' || t.text !== op)
      throw new FormulaFault(t.at, `expected '${op}' ${what}, found ${describe(t)}`);
  };
  const nested = <R>(at: number, f: () => R): R => {
    if (++depth > LIMITS.depth)
      throw new FormulaFault(at, `the formula nests deeper than ${LIMITS.depth} levels`);
    const r = f();
    depth--;
    return r;
  };

  const conditional = (): Expr =>
    nested(peek().at, () => {
      const left = additive();
      const t = peek();
      if (t.kind !== 'op' || !isComparison(t.text)) return left;
      next();
      const right = additive();
      const after = peek();
      if (after.kind === 'op' && isComparison(after.text))
        throw new FormulaFault(after.at, `chained comparisons are not allowed`);
      if (after.kind !== 'op' || after.text !== '?')
        throw new FormulaFault(
          t.at,
          `a comparison '${t.text}' may only be the condition of 'condition ? a : b'`,
        );
      next();
      const then = conditional();
      expect(':', `after the '?' branch`);
      const otherwise = conditional();
      return { kind: 'cond', op: t.text, left, right, then, otherwise, at: t.at };
    });

  const binaryChain = (ops: readonly string[], operand: () => Expr) => (): Expr => {
    let left = operand();
    for (let t = peek(); t.kind === 'op' && ops.includes(t.text); t = peek()) {
      next();
      left = { kind: 'bin', op: t.text as BinaryOp, left, right: operand(), at: t.at };
    }
    return left;
  };

  const unary = (): Expr =>
    nested(peek().at, () => {
      const t = peek();
      if (t.kind === 'op' && (t.text === '-' || t.text === '+')) {
        next();
        const arg = unary();
        return t.text === '-' ? { kind: 'neg', arg, at: t.at } : arg;
      }
      return power();
    });

  const power = (): Expr => {
    const base = primary();
    const t = peek();
    if (t.kind === 'op' && t.text === '^') {
      next();
      return { kind: 'bin', op: '^', left: base, right: unary(), at: t.at };
    }
    if (t.kind === 'num' || t.kind === 'name' || (t.kind === 'op' && t.text === '(')) {
      throw new FormulaFault(
        t.at,
        `write '*' before '${t.text}' (implicit multiplication is not allowed)`,
      );
    }
    return base;
  };

  const primary = (): Expr => {
    const t = next();
    if (t.kind === 'num') return { kind: 'num', value: t.value, at: t.at };
    if (t.kind === 'name') {
      if (t.text.length > LIMITS.nameChars)
        throw new FormulaFault(
          t.at,
          `the name '${t.text}' is longer than ${LIMITS.nameChars} characters`,
        );
      const open = peek();
      const isCall = open.kind === 'op' && open.text === '(';
      const fn = functions.get(t.text);
      if (!isCall) {
        if (fn) throw new FormulaFault(t.at, `${t.text} is a function: write ${t.text}(…)`);
        return { kind: 'name', name: t.text, at: t.at };
      }
      if (!fn)
        throw new FormulaFault(
          t.at,
          `unknown function '${t.text}'; the functions are ${functionList}`,
        );
      next();
      const args: Expr[] = [];
      if (!(peek().kind === 'op' && peek().text === ')')) {
        args.push(conditional());
        while (peek().kind === 'op' && peek().text === ',') {
          next();
          args.push(conditional());
        }
      }
      expect(')', `to close ${t.text}(`);
      if (args.length < fn.minArgs || args.length > fn.maxArgs) {
        const want = fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : `${fn.minArgs} to ${fn.maxArgs}`;
        throw new FormulaFault(t.at, `${t.text} takes ${want} argument(s), got ${args.length}`);
      }
      return { kind: 'call', fn: t.text, args, at: t.at };
    }
    if (t.kind === 'op' && t.text === '(') {
      const inner = conditional();
      expect(')', `to close '('`);
      return inner;
    }
    throw new FormulaFault(t.at, `expected a number, a name or '(', found ${describe(t)}`);
  };

  const multiplicative = binaryChain(['*', '/'], unary);
  const additive = binaryChain(['+', '-'], multiplicative);

  const expr = conditional();
  const rest = peek();
  if (rest.kind !== 'end') throw new FormulaFault(rest.at, `unexpected ${describe(rest)}`);
  return expr;
};
