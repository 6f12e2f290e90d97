import { describe, expect, it } from 'vitest';
import type { ViewPredictions } from '../../../src/training/additions/tta-predictions.ts';
import { combineViews } from '../../../src/training/additions/tta-predictions.ts';
import type { Predictions } from '../../../src/training/additions/tta.ts';
import { accuracy, meanCrossEntropy } from '../../../src/training/additions/tta.ts';

/** One image of class 0, with these 10 logits. */
const one = (...logits: number[]): Predictions => ({
  logits: Float32Array.from(logits),
  targets: Int32Array.from([0]),
});
const row = (v0: number, v1: number): Predictions => one(v0, v1, 0, 0, 0, 0, 0, 0, 0, 0);

describe('combining test-time views', () => {
  it('averages plain logits over models, and every view of every model for TTA', () => {
    const a: ViewPredictions = { plain: row(4, 0), flipped: row(0, 8), shifted: [row(2, 2)] };
    const b: ViewPredictions = { plain: row(2, 0), flipped: row(6, 0), shifted: [row(0, 4)] };
    const { plain, tta } = combineViews([a, b]);
    expect(Array.from(plain.logits.slice(0, 2))).toEqual([3, 0]);
    // (4 + 0 + 2 + 2 + 6 + 0) / 6 = 14/6, (0 + 8 + 2 + 0 + 0 + 4) / 6 = 14/6
    expect(tta?.logits[0]).toBeCloseTo(14 / 6, 6);
    expect(tta?.logits[1]).toBeCloseTo(14 / 6, 6);
    expect(accuracy(plain)).toBe(1);
  });

  it('has no TTA figure when no model has a view besides the plain one', () => {
    const c = combineViews([{ plain: row(1, 3), flipped: null, shifted: [] }]);
    expect(c.tta).toBeNull();
    expect(accuracy(c.plain)).toBe(0);
  });

  it('one model with the flip only: the mean of its two logit sets', () => {
    const c = combineViews([{ plain: row(1, 3), flipped: row(5, 1), shifted: [] }]);
    expect(Array.from(c.tta?.logits.slice(0, 2) ?? [])).toEqual([3, 2]);
    expect(accuracy(c.tta ?? c.plain)).toBe(1);
  });

  it('mean cross-entropy is log-sum-exp minus the target logit', () => {
    const p = row(Math.log(3), 0); // softmax of class 0: 3 / (3 + 9) = 1/4
    expect(meanCrossEntropy(p)).toBeCloseTo(Math.log(4), 6);
  });
});
