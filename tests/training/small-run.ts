import type { TrainConfig } from '../../src/training/run/run.ts';
import { DEFAULT_CONFIG } from '../../src/training/run/run.ts';

/** A run small enough for a unit test: the `cnn`, 2 epochs of 512 images, crop and flip. */
export const SMALL_RUN: TrainConfig = {
  ...DEFAULT_CONFIG,
  model: 'cnn',
  epochs: 2,
  bs: 128,
  subset: 512,
  aug: ['crop', 'flip'],
};

/** A run's output, not shown. */
export const quiet = (): void => undefined;
