import type { Tensor4D } from '@tensorflow/tfjs';
import type { Rng } from '../../core/index.ts';

/** The batch augmentations by name (implemented in `augment.ts`); no tfjs at run time here. */
export const AUGMENTS = ['crop', 'flip', 'erase', 'copy'] as const;
export type AugmentName = (typeof AUGMENTS)[number];

/**
 * How often an augmentation draws its random choice: once for the whole batch (the lesson's
 * transforms, the default) or once for every image (`augment-per-image.ts`).
 */
export const AUGMENT_PER = ['batch', 'image'] as const;
export type AugmentPer = (typeof AUGMENT_PER)[number];
/** The lesson's: one draw for the whole batch (a config saved before this setting reads so). */
export const DEFAULT_AUG_PER: AugmentPer = 'batch';
export const isAugmentPer = (v: string): v is AugmentPer =>
  (AUGMENT_PER as readonly string[]).includes(v);

/** A transform of a batch of images [n, h, w, c], its random choices drawn from `rng`. */
export type BatchAugment = (x: Tensor4D, rng: Rng) => Tensor4D;
