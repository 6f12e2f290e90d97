import { wholeBatchNorm } from '../../core/index.ts';
import type { TrainAdditions, TrainConfig } from '../../training/index.ts';

/** What decided a run's gradient workers, besides its config. */
export interface WorkersContext {
  /** The workers the settings asked for (before a GPU or a missing feature lowered them). */
  readonly asked: number;
  readonly onGpu: boolean;
  /** Whether the training worker can start workers of its own (nested Web Workers). */
  readonly nestedWorkers: boolean;
  /** Whether the page may share memory between workers (it is cross-origin isolated). */
  readonly sharedMemory: boolean;
}

/**
 * What the page says about a run's gradient workers: how many, how BatchNorm normalises with
 * them, and why there are not more (a GPU, a browser without nested workers).
 */
export const workersNote = (
  config: TrainConfig & TrainAdditions,
  { asked, onGpu, nestedWorkers, sharedMemory }: WorkersContext,
): string => {
  const n = config.workers;
  if (n > 1) {
    const workers = `${String(n)} gradient workers on ${config.backend}`;
    if (!wholeBatchNorm(config.bs, n, config.microBatch)) {
      const share = Math.ceil(config.bs / n);
      return `${workers}; each worker's share of the batch (${String(share)} images) runs in micro-batches of ${String(config.microBatch)}, each normalised alone by BatchNorm`;
    }
    return sharedMemory
      ? `${workers}, BatchNorm over the whole batch`
      : `${workers}; this page is not cross-origin isolated (its server sends no COOP/COEP headers), so BatchNorm normalises each worker's share of the batch, not the whole batch`;
  }
  if (asked > 1 && onGpu) return `1 worker: ${config.backend} trains the whole batch on the GPU`;
  if (asked > 1 && !nestedWorkers)
    return '1 worker: this browser cannot start workers inside the training worker';
  return '1 worker: the training worker computes the gradients itself';
};
