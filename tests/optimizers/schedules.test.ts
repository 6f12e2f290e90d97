import { describe, expect, it } from 'vitest';
import {
  constant,
  cosineAnnealing,
  initAnnealing,
  oneCycle,
  stepAnnealing,
} from '../../src/optimizers/index.ts';

describe('oneCycle: PyTorch OneCycleLR, docs/lesson.md §3.4 (20 epochs × 59 batches = 1180 steps, max_lr 1e-2)', () => {
  const s = oneCycle({ maxLr: 1e-2, totalSteps: 1180 });
  it.each([
    [0, 4e-4, 6],
    [100, 2.18e-3, 5],
    [353, 1e-2, 10],
    [700, 6.24e-3, 5],
    [1000, 1.1e-3, 4],
  ])('lr at step %i is %f', (step, lr, digits) => {
    expect(s.lr(step)).toBeCloseTo(lr, digits);
  });
  it('ends at max_lr / 25 / 1e4 = 4e-8', () => {
    expect(s.lr(1179)).toBeCloseTo(4e-8, 15);
  });
  it('cycles beta1 0.95 → 0.85 (step 353) → 0.95', () => {
    expect(s.beta1(0)).toBe(0.95);
    expect(s.beta1(353)).toBeCloseTo(0.85, 12);
    expect(s.beta1(1179)).toBeCloseTo(0.95, 12);
  });
  it('refuses steps past the end, as PyTorch does', () => {
    expect(() => s.lr(1180)).toThrow(/outside/);
  });
});

describe('schedules over a fit of one or two steps', () => {
  it('1cycle of one step takes it at the peak: max_lr, beta1 at its base', () => {
    const s = oneCycle({ maxLr: 0.01, totalSteps: 1 });
    expect(s.lr(0)).toBe(0.01);
    expect(s.beta1(0)).toBe(0.85);
    expect(() => s.lr(1)).toThrow(/outside/);
  });
  it('1cycle of two steps anneals from near the peak to the floor', () => {
    const s = oneCycle({ maxLr: 0.01, totalSteps: 2 });
    expect(s.lr(0)).toBeLessThan(0.01);
    expect(s.lr(0)).toBeGreaterThan(0.005);
    expect(s.lr(1)).toBeCloseTo(4e-8, 15);
  });
  it('an empty warm-up (pct_start·total = 1) starts at the peak, not NaN', () => {
    expect(oneCycle({ maxLr: 0.01, totalSteps: 2, pctStart: 0.5 }).lr(0)).toBe(0.01);
  });
  it('cosine over one step takes it at the base lr', () => {
    expect(cosineAnnealing({ baseLr: 0.01, tMax: 1 })(0)).toBe(0.01);
  });
  it('1cycle still refuses zero or fractional steps', () => {
    expect(() => oneCycle({ maxLr: 1, totalSteps: 0 })).toThrow(RangeError);
    expect(() => oneCycle({ maxLr: 1, totalSteps: 1.5 })).toThrow(RangeError);
  });
});

describe('cosineAnnealing: CosineAnnealingLR closed form', () => {
  const s = cosineAnnealing({ baseLr: 0.006, tMax: 100 });
  it('starts at base, halves at T/2, reaches 0 at T and comes back up after', () => {
    expect(s(0)).toBe(0.006);
    expect(s(50)).toBeCloseTo(0.003, 15);
    expect(s(100)).toBeCloseTo(0, 15);
    expect(s(110)).toBeGreaterThan(s(105));
  });
  it('rejects a non-positive T_max', () => {
    expect(() => cosineAnnealing({ baseLr: 1, tMax: 0 })).toThrow(RangeError);
  });
});

describe('the workbook annealing rule', () => {
  it('divides lr by 4 when the gradient ratio passes 2 and tracks the lowest value', () => {
    const s0 = initAnnealing(1, 10);
    const s1 = stepAnnealing(s0, 15); // ratio 1.5
    expect(s1).toMatchObject({ lr: 1, best: 10, ratio: 1.5 });
    const s2 = stepAnnealing(s1, 25); // ratio 2.5 → cut
    expect(s2).toMatchObject({ lr: 0.25, best: 10 });
    const s3 = stepAnnealing(s2, 4); // new low
    expect(s3).toMatchObject({ lr: 0.25, best: 4 });
    expect(stepAnnealing(s3, 8).lr).toBe(0.25); // exactly 2 is not "passes 2"
  });
  it('constant is constant', () => {
    expect(constant(0.3)(1234)).toBe(0.3);
  });
});
