/**
 * Hyperparameters over training, in the spirit of optax's `inject_hyperparams`: a
 * hyperparameter is either a fixed value or a schedule, a pure function of training progress.
 * The values a step uses are `hypersAt(base, schedules, progress)`, computed from the step count
 * alone, so they never depend on what ran before (a resumed run gets the values of an
 * uninterrupted one).
 */
import type { ScheduleSet } from './schedule-text.ts';
import { toSchedule } from './schedule-text.ts';
import type { Schedule } from './schedules.ts';
import { cosineAnnealing, oneCycle } from './schedules.ts';

/** Values by name: `lr` and the rule's own (`beta1`, `eps`, …). */
export type HyperValues = Readonly<Record<string, number>>;

/** Where training is: the step about to be taken (0-based, counted over the whole fit), and the fit's size. */
export interface Progress {
  readonly step: number;
  /** Optimizer steps in one epoch. */
  readonly stepsPerEpoch: number;
  /** Epochs in the whole fit. */
  readonly epochs: number;
}

/** A hyperparameter's value as a pure function of training progress. */
export type HyperSchedule = (p: Progress) => number;

/** The schedules of a fit, by hyperparameter; one the rule does not have is ignored. */
export type HyperSchedules = Readonly<Partial<Record<string, HyperSchedule>>>;

/** The epoch (0-based) that `p.step` belongs to. */
export const epochOf = (p: Progress): number =>
  p.stepsPerEpoch > 0 ? Math.floor(p.step / p.stepsPerEpoch) : 0;

/** Optimizer steps in the whole fit. */
export const totalSteps = (p: Progress): number => p.epochs * p.stepsPerEpoch;

/**
 * The values of every hyperparameter in `base` at `p`: each scheduled one from its schedule,
 * the others as they are in `base` (the rule's defaults, the user's overrides and lr).
 */
export const hypersAt = (base: HyperValues, schedules: HyperSchedules, p: Progress): HyperValues =>
  Object.fromEntries(
    Object.entries(base).map(([k, v]) => {
      const s = schedules[k];
      return [k, s ? s(p) : v];
    }),
  );

/** A step schedule built once per fit size (its total steps), then read at `p.step`. */
const perStep = (build: (total: number) => Schedule): HyperSchedule => {
  let total = NaN;
  let schedule: Schedule = () => NaN;
  return (p) => {
    const t = totalSteps(p);
    if (t !== total) {
      schedule = build(t);
      total = t;
    }
    return schedule(p.step);
  };
};

/** 1cycle over the whole fit (PyTorch's OneCycleLR defaults), per step: lr and β₁/momentum. */
export const oneCycleHypers = (maxLr: number): HyperSchedules => {
  const cycle = (total: number): ReturnType<typeof oneCycle> =>
    oneCycle({ maxLr, totalSteps: total });
  return {
    lr: perStep((t) => cycle(t).lr),
    beta1: perStep((t) => cycle(t).beta1),
  };
};

/** Cosine annealing from `lr` to 0 over the whole fit, per step (PyTorch's CosineAnnealingLR). */
export const cosineHypers = (lr: number): HyperSchedules => ({
  lr: perStep((t) => cosineAnnealing({ baseLr: lr, tMax: t })),
});

/**
 * Schedules typed as formulas of `pct`, `step`, `total` and `lr` (schedule-text.ts), from the
 * user's lr: per step (`total` = the fit's steps) or per epoch (`step` = the epoch, `total` = the
 * fit's epochs).
 */
export const formulaHypers = (
  set: ScheduleSet,
  lr: number,
  every: 'batch' | 'epoch',
): HyperSchedules =>
  Object.fromEntries(
    set.targets.map((target): [string, HyperSchedule] => [
      target,
      every === 'batch'
        ? perStep((total) => toSchedule(set, target, { total, lr }))
        : (p) => toSchedule(set, target, { total: p.epochs, lr })(epochOf(p)),
    ]),
  );

/**
 * lr_find's lr: `start` at step 0, times `gamma` at each later step. The product is taken one
 * step at a time (start·γ·γ·…), as miniai's LRFinderCB multiplies the lr after each batch.
 */
export const lrFinderHypers = (start: number, gamma: number): HyperSchedules => {
  const lrs = [start];
  return {
    lr: ({ step }) => {
      for (let i = lrs.length; i <= step; i++) lrs.push((lrs[i - 1] ?? start) * gamma);
      return lrs[step] ?? NaN;
    },
  };
};
