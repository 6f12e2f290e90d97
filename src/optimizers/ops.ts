/**
 * The small numeric interface every update rule is written against. One rule, three
 * interpreters: `numberOps` (plain float64, the sheet's values and the CLI), `formulaOps`
 * (spreadsheet formula text for HyperFormula/Excel) and, in the trainer, tfjs tensors.
 *
 * Each method is one floating-point operation, so two interpreters that evaluate the same
 * calls in the same order give bit-identical float64 results.
 */
export type FnName = 'sqrt' | 'exp' | 'log' | 'abs' | 'sin' | 'cos' | 'tanh';

export const fnNames: readonly FnName[] = ['sqrt', 'exp', 'log', 'abs', 'sin', 'cos', 'tanh'];

/** The comparisons a conditional may test, in mathjs spelling. */
export type Comparison = '<' | '<=' | '>' | '>=' | '==' | '!=';

export const comparisons: readonly Comparison[] = ['<', '<=', '>', '>=', '==', '!='];

export interface Ops<T> {
  /** A literal constant. */
  readonly lit: (k: number) => T;
  readonly add: (a: T, b: T) => T;
  readonly sub: (a: T, b: T) => T;
  readonly mul: (a: T, b: T) => T;
  readonly div: (a: T, b: T) => T;
  readonly pow: (a: T, b: T) => T;
  readonly neg: (a: T) => T;
  /** An elementary function; `log` is the natural logarithm. */
  readonly fn: (name: FnName, a: T) => T;
  /** −1, 0 or 1 (Lion). Not an `FnName`: it has no derivative, so a model may not use it. */
  readonly sign: (a: T) => T;
  /** The larger of two values, element-wise (Adamax, AMSGrad). */
  readonly max: (a: T, b: T) => T;
  /** `a op b ? then : otherwise`, element-wise (piecewise schedules, RAdam). */
  readonly cond: (op: Comparison, a: T, b: T, then: T, otherwise: T) => T;
}

const mathFns: Readonly<Record<FnName, (x: number) => number>> = {
  sqrt: Math.sqrt,
  exp: Math.exp,
  log: Math.log,
  abs: Math.abs,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
};

const compare: Readonly<Record<Comparison, (a: number, b: number) => boolean>> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

/** Plain float64 arithmetic, with the same primitives HyperFormula uses (`^` is `Math.pow`). */
export const numberOps: Ops<number> = {
  lit: (k) => k,
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => Math.pow(a, b),
  neg: (a) => -a,
  fn: (name, a) => mathFns[name](a),
  sign: (a) => Math.sign(a),
  max: (a, b) => Math.max(a, b),
  cond: (op, a, b, then, otherwise) => (compare[op](a, b) ? then : otherwise),
};
