/**
 * Training additions a user can choose (issue 12): each off by default, each read by `trainRun`
 * with `?? default`, so a `TrainConfig` without them trains exactly as before.
 */
export interface TrainAdditions {
  /** Label smoothing ε in [0, 1): targets (1 − ε)·one-hot + ε/10 in the training loss. 0: off. */
  readonly labelSmoothing?: number;
  /**
   * Exponential moving average of the trainable weights, with this decay in [0, 1) (e.g. 0.99);
   * validation, TTA and the saved model use the averaged weights. 0: off.
   */
  readonly ema?: number;
  /** Mixup: λ ~ Beta(α, α) per batch, with this α > 0. 0: off. */
  readonly mixup?: number;
  /** CutMix: λ ~ Beta(α, α) per batch, with this α > 0 (not together with mixup). 0: off. */
  readonly cutmix?: number;
  /** Extra TTA views beyond the flip: 1-pixel shifts right, left, down, up (0…4). 0: off. */
  readonly ttaViews?: number;
}

/** Every addition's value, defaults filled in. */
export type Additions = Required<TrainAdditions>;

export const NO_ADDITIONS: Additions = {
  labelSmoothing: 0,
  ema: 0,
  mixup: 0,
  cutmix: 0,
  ttaViews: 0,
};

const inUnit = (v: number): string | null => (v >= 0 && v < 1 ? null : 'must be in [0, 1)');
const alpha = (v: number): string | null =>
  v >= 0 && Number.isFinite(v) ? null : 'must be 0 or more';

/**
 * Each addition's range, in the user's words: the one check, read by the settings table (the
 * CLI's flags, the Train tab's form, a saved config) and by `additionsOf` (any other caller).
 */
export const ADDITION_CHECKS: Readonly<Record<keyof Additions, (v: number) => string | null>> = {
  labelSmoothing: inUnit,
  ema: (v) => (v >= 0 && v < 1 ? null : 'must be a decay in [0, 1)'),
  mixup: alpha,
  cutmix: alpha,
  ttaViews: (v) => (Number.isInteger(v) && v >= 0 && v <= 4 ? null : 'must be a whole number 0…4'),
};

/** Mixup and CutMix each replace the batch: a run takes one or the other. */
export const MIX_CONFLICT = 'choose mixup or CutMix, not both';

/** The additions of a config, defaults filled in and checked; a bad value throws a `RangeError` naming it. */
export const additionsOf = (c: TrainAdditions): Additions => {
  const a: Additions = {
    labelSmoothing: c.labelSmoothing ?? 0,
    ema: c.ema ?? 0,
    mixup: c.mixup ?? 0,
    cutmix: c.cutmix ?? 0,
    ttaViews: c.ttaViews ?? 0,
  };
  for (const [key, check] of Object.entries(ADDITION_CHECKS)) {
    const v = a[key as keyof Additions];
    const problem = check(v);
    if (problem) throw new RangeError(`${key} ${problem}, got ${String(v)}`);
  }
  if (a.mixup > 0 && a.cutmix > 0) throw new RangeError(`cutmix: ${MIX_CONFLICT}`);
  return a;
};

/**
 * Whether the training loss differs from plain cross-entropy: the gradient workers then train
 * against the batch's soft targets (`additionsTargets`).
 */
export const changesLoss = (a: Additions): boolean =>
  a.labelSmoothing > 0 || a.mixup > 0 || a.cutmix > 0;
