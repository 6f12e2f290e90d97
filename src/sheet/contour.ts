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

export const totalLoss = (model: CompiledModel, data: Dataset, b: number, a: number): number => {
  const ys = yValues(data);
  let sum = 0;
  data.x.forEach((x, i) => {
    const pred = evaluate(numberOps, model.model, { x, a, b });
    sum += evaluate(numberOps, model.loss, { pred, y: ys[i] ?? NaN });
  });
  return sum;
};

export const lossGrid = (
  model: CompiledModel,
  data: Dataset,
  b: Range,
  a: Range,
  nb = 64,
  na = 64,
): LossGrid => {
  const loss = new Float64Array(nb * na);
  for (let j = 0; j < na; j++) {
    const av = a.min + ((a.max - a.min) * j) / (na - 1);
    for (let i = 0; i < nb; i++) {
      loss[j * nb + i] = totalLoss(model, data, b.min + ((b.max - b.min) * i) / (nb - 1), av);
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
