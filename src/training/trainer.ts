/**
 * The trainer (TensorFlow.js): what the Train tab's worker and the CLI call. The tfjs-free facts
 * and types are in `index.ts`, Node's own parts in `node/index.ts`.
 */
export { augmentBatch } from './data/augment.ts';
export { fetchFashionMnist } from './data/browser-data.ts';
export { fashionLoaders } from './data/loaders.ts';
export { accuracy, predict } from './additions/tta.ts';
export { combineViews, predictWithViews } from './additions/tta-predictions.ts';
export { Eta } from './learner/callbacks/eta.ts';
export { metricsOf } from './learner/callbacks/metrics.ts';
export { NonFiniteLossError } from './learner/learner.ts';
export { lrFindFor } from './learner/lr-find-run.ts';
export { summarise } from './models/summary.ts';
export { buildModel } from './models/zoo.ts';
export type { InitMessage, StepMessage } from './parallel/protocol.ts';
export { replica } from './parallel/replica.ts';
export type { Transport } from './parallel/transport.ts';
export type { PoolOptions } from './parallel/worker-pool.ts';
export { canShareMemory, WorkerPool } from './parallel/worker-pool.ts';
export { supplyMissingKernels } from './run/backend.ts';
export { checkCheckpointState } from './run/checkpoint.ts';
export { trainRun } from './run/run.ts';
export { pooledRate, trainingRate } from './run/throughput.ts';
export { checkedSpecs, modelArtifacts, setWeightsFrom } from './run/weights.ts';
