import { describe, expect, it } from 'vitest';
import { workersNote } from '../../src/app/train/workers-note.ts';
import { DEFAULT_CONFIG } from '../../src/training/config.ts';

const config = (workers: number, backend = 'wasm') => ({ ...DEFAULT_CONFIG, workers, backend });

describe("the Train tab's line about a run's gradient workers", () => {
  it('says how BatchNorm works with several workers, with and without shared memory', () => {
    expect(workersNote(config(4), 4, false, true)).toBe(
      '4 gradient workers on wasm, BatchNorm over the whole batch',
    );
    expect(workersNote(config(2), 2, false, false)).toMatch(
      /^2 gradient workers on wasm; this page is not cross-origin isolated .*each worker's share of the batch/,
    );
  });

  it('says why a run on a GPU uses one worker, and when one was asked for', () => {
    expect(workersNote(config(1, 'webgl'), 4, true, true)).toBe(
      '1 worker: webgl trains the whole batch on the GPU',
    );
    expect(workersNote({ ...config(1), mixup: 0.4 }, 1, false, true)).toBe(
      '1 worker: label smoothing, mixup and CutMix train on one thread for now',
    );
    expect(workersNote(config(1), 1, false, true)).toBe(
      '1 worker: the training worker computes the gradients itself',
    );
  });
});
