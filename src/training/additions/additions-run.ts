import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '../../core/index.ts';
import type { Additions } from './additions.ts';
import { changesLoss } from './additions.ts';
import type { CheckpointState } from '../run/checkpoint.ts';
import type { EmaState } from './ema.ts';
import { emaCallback, WeightEma } from './ema.ts';
import { DataFileError } from '../data/idx.ts';
import type { LossFn, TargetsFn } from '../learner/grad-step.ts';
import type { Callback } from '../learner/learner.ts';
import type { MixState } from './mix.ts';
import { additionsLoss, additionsTargets, mixCallback } from './mix.ts';

/** What `trainRun` plugs in for one ensemble member's additions. */
export interface AdditionsHook {
  /** The training loss (undefined: the learner's plain cross-entropy). */
  readonly lossFn: LossFn | undefined;
  /** Its targets as rows of class weights, for the gradient workers (with `lossFn`). */
  readonly targetsFn: TargetsFn | undefined;
  readonly callbacks: readonly Callback[];
  /** Fields the checkpoint keeps besides the fit's own: the EMA state. */
  checkpoint(): Promise<{ ema?: EmaState }>;
  /** After the fit: the averaged weights go into the model, for the evaluation and the save. */
  finish(): void;
  dispose(): void;
}

/** The mixing draws: their own stream, apart from the augmentations' (which use the same three numbers). */
const mixRng = (seed: number) => (epoch: number, iter: number) =>
  mulberry32((seed * 1_000_003 + epoch * 10_007 + iter) ^ 0x4d495821);

/** The additions of one member trained from `seed`, resuming the EMA from `saved` when it has one. */
export const additionsHook = (
  a: Additions,
  model: tf.LayersModel,
  seed: number,
  saved: CheckpointState | null,
): AdditionsHook => {
  const callbacks: Callback[] = [];
  let lossFn: LossFn | undefined;
  let targetsFn: TargetsFn | undefined;
  if (changesLoss(a)) {
    const state: MixState = { training: false, lam: null };
    const kind = a.cutmix > 0 ? 'cutmix' : 'mixup';
    callbacks.push(mixCallback(kind, a.cutmix || a.mixup, state, mixRng(seed)));
    lossFn = additionsLoss(a.labelSmoothing, state);
    targetsFn = additionsTargets(a.labelSmoothing, state);
  }
  const ema = a.ema > 0 ? new WeightEma(a.ema, model) : null;
  if (ema) {
    if (saved?.ema && saved.ema.sums.length !== model.trainableWeights.length)
      throw new DataFileError(
        `the checkpoint's moving average has ${saved.ema.sums.length} weights, the model ${model.trainableWeights.length}`,
      );
    if (saved?.ema) ema.loadState(saved.ema);
    callbacks.push(emaCallback(ema));
  }
  return {
    lossFn,
    targetsFn,
    callbacks,
    checkpoint: async () => (ema ? { ema: await ema.state() } : {}),
    finish() {
      if (ema?.step) tf.dispose(ema.swapIn()); // the live weights are not needed any more
    },
    dispose: () => ema?.dispose(),
  };
};
