import { describe, expect, it } from 'vitest';
import type { WorkersContext } from '../../src/app/train/workers-note.ts';
import { workersNote } from '../../src/app/train/workers-note.ts';
import { microBatchFor } from '../../src/core/index.ts';
import { DEFAULT_CONFIG } from '../../src/training/run/config.ts';

/** A config as the training worker runs it: bs 64, each worker's share in one piece. */
const config = (workers: number, backend = 'wasm', bs = 64) => ({
  ...DEFAULT_CONFIG,
  workers,
  backend,
  bs,
  microBatch: microBatchFor(backend, bs, workers),
});
const here: WorkersContext = { asked: 2, onGpu: false, nestedWorkers: true, sharedMemory: true };

describe("the Train tab's line about a run's gradient workers", () => {
  it('says how BatchNorm normalises with several workers', () => {
    expect(workersNote(config(4), { ...here, asked: 4 })).toBe(
      '4 gradient workers on wasm, BatchNorm over the whole batch',
    );
    expect(workersNote(config(2), { ...here, sharedMemory: false })).toMatch(
      /^2 gradient workers on wasm; this page is not cross-origin isolated .*each worker's share of the batch, not the whole batch$/,
    );
    // The lesson's batch of 1024 on 2 workers: shares of 512 run as micro-batches of 256.
    expect(workersNote(config(2, 'cpu', 1024), here)).toBe(
      "2 gradient workers on cpu; each worker's share of the batch (512 images) runs in micro-batches of 256, each normalised alone by BatchNorm",
    );
  });

  it('says why a run has one worker', () => {
    expect(workersNote(config(1, 'webgl'), { ...here, onGpu: true })).toBe(
      '1 worker: webgl trains the whole batch on the GPU',
    );
    expect(workersNote(config(1), { ...here, nestedWorkers: false })).toBe(
      '1 worker: this browser cannot start workers inside the training worker',
    );
    expect(workersNote(config(1), { ...here, asked: 1 })).toBe(
      '1 worker: the training worker computes the gradients itself',
    );
  });
});
