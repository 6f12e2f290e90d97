import type { TrainAdditions } from '../../training/additions.ts';
import { additionsOf, changesLoss } from '../../training/additions.ts';
import type { TrainConfig } from '../../training/config.ts';

/**
 * What the page says about a run's gradient workers: how many, and why not more (a GPU, a loss
 * the workers do not know) or why BatchNorm then normalises each worker's share alone (a page
 * that is not cross-origin isolated cannot share memory between workers).
 */
export const workersNote = (
  config: TrainConfig & TrainAdditions,
  asked: number,
  onGpu: boolean,
  sharedMemory: boolean,
): string => {
  if (config.workers > 1)
    return sharedMemory
      ? `${String(config.workers)} gradient workers on wasm, BatchNorm over the whole batch`
      : `${String(config.workers)} gradient workers on wasm; this page is not cross-origin isolated (its server sends no COOP/COEP headers), so BatchNorm normalises each worker's share of the batch, not the whole batch`;
  if (asked > 1 && onGpu) return `1 worker: ${config.backend} trains the whole batch on the GPU`;
  if (changesLoss(additionsOf(config)))
    return '1 worker: label smoothing, mixup and CutMix train on one thread for now';
  return '1 worker: the training worker computes the gradients itself';
};
