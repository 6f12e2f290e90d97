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

/** The additions of a config, defaults filled in and checked; a bad value throws a `RangeError` naming it. */
export const additionsOf = (c: TrainAdditions): Additions => {
  const a: Additions = {
    labelSmoothing: c.labelSmoothing ?? 0,
    ema: c.ema ?? 0,
    mixup: c.mixup ?? 0,
    cutmix: c.cutmix ?? 0,
    ttaViews: c.ttaViews ?? 0,
  };
  const bad = (name: keyof Additions, want: string): never => {
    throw new RangeError(`${name} must be ${want}, not ${a[name]}`);
  };
  if (!(a.labelSmoothing >= 0 && a.labelSmoothing < 1)) bad('labelSmoothing', 'in [0, 1)');
  if (!(a.ema >= 0 && a.ema < 1)) bad('ema', 'a decay in [0, 1) (0: off)');
  if (!(a.mixup >= 0 && Number.isFinite(a.mixup))) bad('mixup', 'an α ≥ 0 (0: off)');
  if (!(a.cutmix >= 0 && Number.isFinite(a.cutmix))) bad('cutmix', 'an α ≥ 0 (0: off)');
  if (a.mixup > 0 && a.cutmix > 0) bad('cutmix', '0 when mixup is on (one or the other)');
  if (!(Number.isInteger(a.ttaViews) && a.ttaViews >= 0 && a.ttaViews <= 4))
    bad('ttaViews', 'an integer 0…4');
  return a;
};

/**
 * Whether the training loss differs from plain cross-entropy: the gradient workers then train
 * against the batch's soft targets (`additionsTargets`).
 */
export const changesLoss = (a: Additions): boolean =>
  a.labelSmoothing > 0 || a.mixup > 0 || a.cutmix > 0;
