import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EpochLog } from './callbacks/metrics.ts';
import type { Callback } from './learner.ts';
import type { OptimizerState } from './optimizer.ts';
import { loadWeightsInto, saveModel } from './save.ts';
import type * as tf from '@tensorflow/tfjs';

/** What a checkpoint holds besides the weights: enough to continue the fit exactly. */
export interface CheckpointState {
  /** Epochs completed. */
  readonly epoch: number;
  readonly optimizer: OptimizerState;
  readonly logs: readonly EpochLog[];
  readonly batchLosses: readonly number[];
  readonly records: Readonly<Record<string, readonly number[]>>;
}

/** Writes the checkpoint into `dir` (weights first, then state, renamed into place). */
export const saveCheckpoint = async (
  model: tf.LayersModel,
  dir: string,
  state: CheckpointState,
): Promise<void> => {
  await mkdir(dir, { recursive: true });
  await saveModel(model, dir);
  await writeFile(join(dir, 'state.json.tmp'), JSON.stringify(state));
  await rename(join(dir, 'state.json.tmp'), join(dir, 'state.json'));
};

export const readCheckpoint = async (dir: string): Promise<CheckpointState | null> => {
  try {
    return JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as CheckpointState;
  } catch {
    return null;
  }
};

export const restoreWeights = (model: tf.LayersModel, dir: string): Promise<void> =>
  loadWeightsInto(model, dir);

/** After every validation epoch, save a checkpoint (order 10: after metrics have logged). */
export const checkpointCallback = (
  dir: string,
  state: () => Omit<CheckpointState, 'epoch' | 'optimizer'>,
): Callback => ({
  name: 'checkpoint',
  order: 10,
  async afterEpoch(l) {
    if (l.training || !l.opt) return;
    await saveCheckpoint(l.model, dir, {
      epoch: l.epoch + 1,
      optimizer: l.opt.state(),
      ...state(),
    });
  },
});

/** Loads an optimizer state into the fit's fresh optimizer before anything else runs. */
export const resumeOptimizerCallback = (state: OptimizerState): Callback => ({
  name: 'resumeOptimizer',
  order: -100,
  beforeFit(l) {
    l.opt?.loadState(state);
  },
});
