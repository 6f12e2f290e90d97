import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  cosineAnnealing,
  oneCycle,
  parseSchedules,
  SCHEDULE_TEXTS,
  toSchedule,
} from '../../src/optimizers/index.ts';

/** PyTorch's CosineAnnealingLR and OneCycleLR, stepped by scripts/torch-schedules.py. */
interface Case {
  readonly lr: number;
  readonly total: number;
  readonly cosine: { readonly lr: readonly number[] };
  readonly onecycle: { readonly lr: readonly number[]; readonly momentum: readonly number[] };
}
const fixture = JSON.parse(
  readFileSync(new URL('fixtures/torch-schedules.json', import.meta.url), 'utf8'),
) as { readonly cases: readonly Case[] };

/** The largest difference relative to the reference value (absolute below 1). */
const worst = (ours: (step: number) => number, torch: readonly number[]): number =>
  Math.max(...torch.map((t, step) => Math.abs(ours(step) - t) / Math.max(1, Math.abs(t))));

const formula = (name: keyof typeof SCHEDULE_TEXTS, target: string, c: Case) => {
  const { schedules } = parseSchedules(SCHEDULE_TEXTS[name], ['lr', 'beta1']);
  if (!schedules) throw new Error(`library schedule ${name} does not parse`);
  return toSchedule(schedules, target, { total: c.total, lr: c.lr });
};

describe.each(fixture.cases)('PyTorch schedules, lr $lr over $total steps', (c) => {
  it('has one value per step', () => {
    expect(c.cosine.lr).toHaveLength(c.total);
    expect(c.onecycle.momentum).toHaveLength(c.total);
  });
  it("gradsheet's cosine is CosineAnnealingLR(T_max = steps) at every step", () => {
    expect(worst(cosineAnnealing({ baseLr: c.lr, tMax: c.total }), c.cosine.lr)).toBeLessThan(
      1e-12,
    );
  });
  it("gradsheet's onecycle is OneCycleLR at every step, lr and β₁ (momentum)", () => {
    const s = oneCycle({ maxLr: c.lr, totalSteps: c.total });
    expect(worst(s.lr, c.onecycle.lr)).toBeLessThan(1e-12);
    expect(worst(s.beta1, c.onecycle.momentum)).toBeLessThan(1e-12);
  });
  it('the library formulas cosine and one-cycle give the same curves', () => {
    expect(worst(formula('cosine', 'lr', c), c.cosine.lr)).toBeLessThan(1e-12);
    expect(worst(formula('one-cycle', 'lr', c), c.onecycle.lr)).toBeLessThan(1e-12);
    expect(worst(formula('one-cycle', 'beta1', c), c.onecycle.momentum)).toBeLessThan(1e-12);
  });
  it('a wrong curve is told apart (the check can fail)', () => {
    const shifted = cosineAnnealing({ baseLr: c.lr, tMax: c.total + 1 });
    expect(worst(shifted, c.cosine.lr)).toBeGreaterThan(1e-6);
  });
});
