import type * as tf from '@tensorflow/tfjs';
import type { DataLoader } from '../data/data-loader.ts';
import type { Predictions } from './tta.ts';
import { meanLogits, predict } from './tta.ts';
import { predictViews } from './tta-views.ts';
import type { TtaViews } from './views.ts';

export type { TtaViews } from './views.ts';

/** One model's validation logits from each test-time view it is evaluated with. */
export interface ViewPredictions {
  readonly plain: Predictions;
  /** Of the mirrored images (flip TTA); null without it. */
  readonly flipped: Predictions | null;
  /** Of the 1-pixel shifts, in `SHIFTS` order (`--tta-views`). */
  readonly shifted: readonly Predictions[];
}

/** The model's logits over a loader for the plain images and each of `views`. */
export const predictWithViews = async (
  model: tf.LayersModel,
  dl: DataLoader,
  views: TtaViews,
): Promise<ViewPredictions> => ({
  plain: await predict(model, dl),
  flipped: views.flip ? await predict(model, dl, true) : null,
  shifted: await predictViews(model, dl, views.shifts),
});

const allViews = (v: ViewPredictions): Predictions[] => [
  v.plain,
  ...(v.flipped ? [v.flipped] : []),
  ...v.shifted,
];

/**
 * One or several models' (an ensemble's) final logits: `plain`, the mean of their plain logits;
 * `tta`, the mean over every view of every model, or null when none has a view besides the plain.
 */
export const combineViews = (
  models: readonly ViewPredictions[],
): { plain: Predictions; tta: Predictions | null } => ({
  plain: meanLogits(models.map((m) => m.plain)),
  tta: models.some((m) => m.flipped !== null || m.shifted.length > 0)
    ? meanLogits(models.flatMap(allViews))
    : null,
});
