/**
 * Schedules are pure functions of training progress: `step` is the 0-based index of the
 * optimizer step about to be taken.
 */
export type Schedule = (step: number) => number;

/** The same value at every step. */
export const constant =
  (value: number): Schedule =>
  () =>
    value;

/** `end + (start − end)/2 · (1 + cos(π·pct))`: PyTorch's `_annealing_cos`. */
export const cosineAnneal = (start: number, end: number, pct: number): number =>
  end + ((start - end) / 2) * (1 + Math.cos(Math.PI * pct));

export interface CosineOptions {
  readonly baseLr: number;
  /** Steps from `baseLr` down to `etaMin`. */
  readonly tMax: number;
  readonly etaMin?: number;
}

/**
 * PyTorch's `CosineAnnealingLR` in closed form:
 *   lrₜ = η_min + (base − η_min)·(1 + cos(π·t/T_max))/2
 * Past `tMax` it keeps following the cosine back up, as PyTorch's recursive form does.
 * A fit of one step (`tMax` 1) takes it at `baseLr`.
 */
export const cosineAnnealing = ({ baseLr, tMax, etaMin = 0 }: CosineOptions): Schedule => {
  if (!(tMax > 0)) throw new RangeError(`cosine annealing needs tMax > 0, got ${tMax}`);
  return (step) => etaMin + ((baseLr - etaMin) * (1 + Math.cos((Math.PI * step) / tMax))) / 2;
};

export interface OneCycleOptions {
  readonly maxLr: number;
  readonly totalSteps: number;
  readonly pctStart?: number;
  readonly divFactor?: number;
  readonly finalDivFactor?: number;
  readonly baseMomentum?: number;
  readonly maxMomentum?: number;
}

export interface OneCycle {
  readonly lr: Schedule;
  /** Momentum, or Adam's β₁: cycles max → base → max, opposite to the lr. */
  readonly beta1: Schedule;
}

/**
 * 1cycle (Smith 2018) with the semantics and defaults of PyTorch's `OneCycleLR`
 * (`anneal_strategy='cos'`, two phases): warm up from `maxLr/divFactor` to `maxLr` over
 * steps 0…`pctStart·total − 1`, then anneal to `initial/finalDivFactor` at step `total − 1`.
 * Stepping past `totalSteps − 1` is an error, as in PyTorch.
 *
 * A fit of a single step (PyTorch refuses `total_steps` 1) takes that step at the peak:
 * `maxLr`, with β₁ at `baseMomentum`. That is where the 2-step cycle starts closest to, and
 * the lr a user typed as the 1cycle maximum.
 */
export const oneCycle = (opts: OneCycleOptions): OneCycle => {
  const {
    maxLr,
    totalSteps,
    pctStart = 0.3,
    divFactor = 25,
    finalDivFactor = 1e4,
    baseMomentum = 0.85,
    maxMomentum = 0.95,
  } = opts;
  if (!(totalSteps >= 1) || !Number.isInteger(totalSteps)) {
    throw new RangeError(`1cycle needs an integer totalSteps ≥ 1, got ${totalSteps}`);
  }
  if (!(pctStart > 0 && pctStart < 1))
    throw new RangeError(`pctStart must be in (0, 1), got ${pctStart}`);
  const initialLr = maxLr / divFactor;
  const minLr = initialLr / finalDivFactor;
  const end1 = pctStart * totalSteps - 1;
  const end2 = totalSteps - 1;
  const phase = (step: number, up: [number, number], down: [number, number]): number => {
    if (!(step >= 0 && step <= end2)) {
      throw new RangeError(`1cycle step ${step} is outside 0…${end2} (totalSteps ${totalSteps})`);
    }
    if (end2 === 0) return up[1];
    return step <= end1
      ? cosineAnneal(up[0], up[1], end1 > 0 ? step / end1 : 1)
      : cosineAnneal(down[0], down[1], (step - end1) / (end2 - end1));
  };
  return {
    lr: (step) => phase(step, [initialLr, maxLr], [maxLr, minLr]),
    beta1: (step) => phase(step, [maxMomentum, baseMomentum], [baseMomentum, maxMomentum]),
  };
};
