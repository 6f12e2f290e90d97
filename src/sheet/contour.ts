import type { Ops } from '../optimizers/index.ts';
import { numberOps } from '../optimizers/index.ts';
import type { Dataset } from './data.ts';
import { yValues } from './data.ts';
import type { CompiledModel } from './expression.ts';
import { evaluate } from './expression.ts';

export interface Range {
  readonly min: number;
  readonly max: number;
}

/** The summed loss over a grid of (intercept b, slope a): what the contour chart colours. */
export interface LossGrid {
  readonly b: Range;
  readonly a: Range;
  readonly nb: number;
  readonly na: number;
  /** Row-major, slope rows from `a.min` up, intercept columns from `b.min` right. */
  readonly loss: Float64Array;
}

/** A scalar, or one value per data row. */
type Column = number | Float64Array;

const lift =
  (f: (a: number, b: number) => number) =>
  (a: Column, b: Column): Column => {
    if (typeof a === 'number') {
      if (typeof b === 'number') return f(a, b);
      return b.map((v) => f(a, v));
    }
    if (typeof b === 'number') return a.map((v) => f(v, b));
    return a.map((v, i) => f(v, b[i] ?? NaN));
  };

/** `numberOps` over every data row at once: the same float64 operations, one tree walk a point. */
const columnOps: Ops<Column> = {
  lit: (k) => k,
  add: lift(numberOps.add),
  sub: lift(numberOps.sub),
  mul: lift(numberOps.mul),
  div: lift(numberOps.div),
  pow: lift(numberOps.pow),
  neg: (a) => (typeof a === 'number' ? numberOps.neg(a) : a.map(numberOps.neg)),
  fn: (name, a) =>
    typeof a === 'number' ? numberOps.fn(name, a) : a.map((v) => numberOps.fn(name, v)),
  sign: (a) => (typeof a === 'number' ? numberOps.sign(a) : a.map(numberOps.sign)),
  max: lift(numberOps.max),
  cond: (op, a, b, then, otherwise) => {
    const pick = (i: number): number => {
      const at = (c: Column): number => (typeof c === 'number' ? c : (c[i] ?? NaN));
      return numberOps.cond(op, at(a), at(b), at(then), at(otherwise));
    };
    const rows = [a, b, then, otherwise].find((c) => typeof c !== 'number');
    return rows === undefined ? pick(0) : rows.map((_, i) => pick(i));
  },
};

const sumColumn = (c: Column, n: number): number => {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += typeof c === 'number' ? c : (c[i] ?? NaN);
  return sum;
};

/** Σ loss over the data at (b, a), rows added in order from 0. */
const lossAt = (
  model: CompiledModel,
  x: Float64Array,
  y: Float64Array,
  b: number,
  a: number,
): number => {
  const pred = evaluate(columnOps, model.model, { x, a, b });
  return sumColumn(evaluate(columnOps, model.loss, { pred, y }), x.length);
};

export const totalLoss = (model: CompiledModel, data: Dataset, b: number, a: number): number =>
  lossAt(model, Float64Array.from(data.x), Float64Array.from(yValues(data)), b, a);

export const lossGrid = (
  model: CompiledModel,
  data: Dataset,
  b: Range,
  a: Range,
  nb = 64,
  na = 64,
): LossGrid => {
  const loss = new Float64Array(nb * na);
  const x = Float64Array.from(data.x);
  const y = Float64Array.from(yValues(data));
  for (let j = 0; j < na; j++) {
    const av = a.min + ((a.max - a.min) * j) / (na - 1);
    for (let i = 0; i < nb; i++) {
      loss[j * nb + i] = lossAt(model, x, y, b.min + ((b.max - b.min) * i) / (nb - 1), av);
    }
  }
  return { b, a, nb, na, loss };
};

/** A range covering every point with a margin, never empty. */
export const span = (values: readonly number[], margin = 0.1): Range => {
  const finite = values.filter(Number.isFinite);
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const pad = (hi - lo) * margin || Math.abs(lo) * margin || 1;
  return { min: lo - pad, max: hi + pad };
};
