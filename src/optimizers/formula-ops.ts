import type { Comparison, FnName, Ops } from './ops.ts';

/**
 * Formula text with the precedence of its outermost operator, so that parentheses are added
 * only where they are needed to keep the evaluation order (and so the float64 result) intact.
 */
export interface Formula {
  readonly text: string;
  readonly prec: number;
}

const ADD = 1;
const MUL = 2;
const POW = 3;
const ATOM = 4;

const excelFns: Readonly<Record<FnName, string>> = {
  sqrt: 'SQRT',
  exp: 'EXP',
  log: 'LN',
  abs: 'ABS',
  sin: 'SIN',
  cos: 'COS',
  tanh: 'TANH',
};

const excelComparisons: Readonly<Record<Comparison, string>> = {
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  '==': '=',
  '!=': '<>',
};

/** A cell reference, a name or any other text that needs no parentheses. */
export const ref = (text: string): Formula => ({ text, prec: ATOM });

const wrap = (f: Formula, min: number): string => (f.prec >= min ? f.text : `(${f.text})`);

/**
 * Both operators are left-associative, so the right operand needs a strictly higher
 * precedence: `a-(b+c)` and `a+(b+c)` keep their parentheses, which keeps float rounding
 * identical to the number interpreter.
 */
const binary = (op: string, prec: number) => (a: Formula, b: Formula) => ({
  text: `${wrap(a, prec)}${op}${wrap(b, prec + 1)}`,
  prec,
});

/** Formats a number so that parsing the text gives back exactly the same float64. */
export const formatLiteral = (k: number): string => {
  if (!Number.isFinite(k)) throw new RangeError(`cannot write ${k} into a formula`);
  return String(k);
};

/**
 * Excel/HyperFormula formula text. Unary minus binds tighter than `^` in Excel (`-2^2` is 4),
 * so a negation is always parenthesised when it is an operand.
 */
export const formulaOps: Ops<Formula> = {
  lit: (k) => (k < 0 ? { text: formatLiteral(k), prec: 0 } : ref(formatLiteral(k))),
  add: binary('+', ADD),
  sub: binary('-', ADD),
  mul: binary('*', MUL),
  div: binary('/', MUL),
  pow: (a, b) => ({ text: `${wrap(a, ATOM)}^${wrap(b, ATOM)}`, prec: POW }),
  neg: (a) => ({ text: `-${wrap(a, ATOM)}`, prec: 0 }),
  fn: (name, a) => ref(`${excelFns[name]}(${a.text})`),
  sign: (a) => ref(`SIGN(${a.text})`),
  max: (a, b) => ref(`MAX(${a.text},${b.text})`),
  cond: (op, a, b, then, otherwise) =>
    ref(`IF(${wrap(a, ADD)}${excelComparisons[op]}${wrap(b, ADD)},${then.text},${otherwise.text})`),
};

/** The text of a formula cell, with the leading `=`. */
export const toCell = (f: Formula): string => `=${f.text}`;
