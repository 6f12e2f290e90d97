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
};
