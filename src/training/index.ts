/**
 * The trainer's facts, names and types, without TensorFlow.js: what the pages, the settings table
 * and the CLI's `--help` read, so they start without loading tfjs. The training code itself is
 * `trainer.ts` (tfjs: for the Train tab's worker and the CLI); what runs only in Node is
 * `node/index.ts`. The app and the CLI import `src/training` through these three (ESLint).
 *
 * The folders: `data/` (Fashion-MNIST, loaders, augmentation), `learner/` (miniai's Learner, its
 * callbacks, the optimizer adapter, hyperparameters), `models/` (the lesson's models, BatchNorm),
 * `kernels/` (wasm kernel replacements), `additions/` (label smoothing, EMA, mixup, TTA),
 * `run/` (a whole run: config, checkpoints, weights, exports), `parallel/` (gradient workers,
 * Node's and the browser's), `node/` (Node only: files, backends, the CLI's runs).
 */
export type { AugmentName, AugmentPer } from './data/augment-names.ts';
export { AUGMENT_PER, AUGMENTS, DEFAULT_AUG_PER, isAugmentPer } from './data/augment-names.ts';
export type { FashionMnist } from './data/fashion-mnist.ts';
export {
  CLASSES,
  normalise,
  PIXELS,
  SIDE,
  TRAIN_IMAGES,
  X_MEAN,
  X_STD,
} from './data/fashion-mnist.ts';
export { DataFileError } from './data/idx.ts';
export type { Additions, TrainAdditions } from './additions/additions.ts';
export { ADDITION_CHECKS, MIX_CONFLICT } from './additions/additions.ts';
export type { Predictions } from './additions/tta.ts';
export type { TtaViews } from './additions/views.ts';
export { sameViews, ttaViewsOf, viewsText } from './additions/views.ts';
export type { EpochLog } from './learner/callbacks/metrics.ts';
export type { LrFindResult } from './learner/callbacks/lr-finder.ts';
export type { Callback } from './learner/learner.ts';
export type { Hyper, OptimizerName } from './learner/optimizer-table.ts';
export { OPTIMIZER_NAMES, OPTIMIZERS } from './learner/optimizer-table.ts';
export type { ModelName } from './models/names.ts';
export { isModelName, MODEL_NAMES } from './models/names.ts';
export type { ModelSummary } from './models/summary.ts';
export {
  challengeLine,
  compareWithLesson,
  LESSON_FIGURES,
  lessonFigureText,
  verdictText,
} from './run/challenge.ts';
export type { CheckpointState, RunStore } from './run/checkpoint.ts';
export type { TrainConfig } from './run/config.ts';
export { DEFAULT_CONFIG, ruleOf, SCHEDULES } from './run/config.ts';
export type { Evaluation } from './run/evaluation.ts';
export { evaluate } from './run/evaluation.ts';
export { formatLoss, formatLr, shownEpoch } from './run/format.ts';
export type { RunResult } from './run/run.ts';
export type { ModelArtifacts } from './run/weights.ts';
