import type { EpochLog } from '../learner/callbacks/metrics.ts';
import type { EmaState } from '../additions/ema.ts';
import { DataFileError } from '../data/idx.ts';
import type { Callback } from '../learner/learner.ts';
import type { OptimizerState } from '../learner/optimizer.ts';
import type * as tf from '@tensorflow/tfjs';

/** What a checkpoint holds besides the weights: enough to continue the fit exactly. */
export interface CheckpointState {
  /** Epochs completed. */
  readonly epoch: number;
  readonly optimizer: OptimizerState;
  readonly logs: readonly EpochLog[];
  readonly batchLosses: readonly number[];
  readonly records: Readonly<Record<string, readonly number[]>>;
  /** The moving average of the weights, when the run keeps one (`ema` > 0). */
  readonly ema?: EmaState;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const problemOf = (v: unknown): string | null => {
  if (!isRecord(v)) return 'it is not a checkpoint object';
  if (!(Number.isInteger(v.epoch) && (v.epoch as number) >= 0)) return 'no epoch count';
  const opt = v.optimizer;
  if (!isRecord(opt) || !Number.isInteger(opt.step) || !Array.isArray(opt.hypers))
    return 'no optimizer state';
  if (!Array.isArray(opt.slots)) return 'no optimizer slots';
  if (!Array.isArray(v.logs) || !v.logs.every(isRecord)) return 'no epoch logs';
  if (!Array.isArray(v.batchLosses)) return 'no batch losses';
  if (!isRecord(v.records) || !Object.values(v.records).every(Array.isArray))
    return 'no recorder values';
  const ema = v.ema;
  if (
    ema !== undefined &&
    !(
      isRecord(ema) &&
      Number.isInteger(ema.step) &&
      Array.isArray(ema.sums) &&
      ema.sums.every((t) => isRecord(t) && Array.isArray(t.shape) && Array.isArray(t.values))
    )
  )
    return 'a damaged moving average';
  return null;
};

/**
 * A checkpoint state read back from storage, checked field by field; anything missing or of the
 * wrong kind is a `DataFileError` that starts with `where` (the file or record).
 */
export const checkCheckpointState = (value: unknown, where: string): CheckpointState => {
  const problem = problemOf(value);
  if (problem) throw new DataFileError(`${where}: damaged (${problem})`);
  return value as CheckpointState;
};

/** Where a run keeps its checkpoints, models and reports: files in Node, IndexedDB in a browser. */
export interface RunStore {
  /** The last checkpoint of ensemble member `member`, or null when there is none. */
  readCheckpoint(member: number): Promise<CheckpointState | null>;
  /** Loads that checkpoint's weights into a model of the same architecture. */
  restoreWeights(model: tf.LayersModel, member: number): Promise<void>;
  saveCheckpoint(model: tf.LayersModel, member: number, state: CheckpointState): Promise<void>;
  /** The trained model, in tfjs's layers format. */
  saveModel(model: tf.LayersModel, member: number): Promise<void>;
  /** A report: metrics.csv, recorder.csv or run.json. */
  writeText(name: string, text: string): Promise<void>;
}

/** After every validation epoch, save a checkpoint (order 10: after metrics have logged). */
export const checkpointCallback = (
  save: (model: tf.LayersModel, state: CheckpointState) => Promise<void>,
  state: () =>
    | Omit<CheckpointState, 'epoch' | 'optimizer'>
    | Promise<Omit<CheckpointState, 'epoch' | 'optimizer'>>,
): Callback => ({
  name: 'checkpoint',
  order: 10,
  async afterEpoch(l) {
    if (l.training || !l.opt) return;
    await save(l.model, { epoch: l.epoch + 1, optimizer: await l.opt.state(), ...(await state()) });
  },
});

/**
 * Loads an optimizer state (step count and slots) into the fit's fresh optimizer before anything
 * else runs. The hyperparameters are not loaded: the fit's schedule gives them from the step.
 */
export const resumeOptimizerCallback = (state: OptimizerState): Callback => ({
  name: 'resumeOptimizer',
  order: -100,
  beforeFit(l) {
    l.opt?.loadState(state);
  },
});
