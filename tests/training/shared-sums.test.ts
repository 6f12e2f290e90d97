import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  abortSharedSums,
  resetSharedSums,
  SharedSums,
  sharedSumsBuffer,
  SLOT,
} from '../../src/training/parallel/shared-sums.ts';

/** Another thread adding `values` × (round + 1) as `rank`, `rounds` times; its totals. */
const partner = (
  buffer: SharedArrayBuffer,
  rank: number,
  values: number[],
  rounds: number,
): Promise<number[][]> => {
  const w = new Worker(new URL('fixtures/shared-sums-partner.mjs', import.meta.url), {
    workerData: { buffer, rank, workers: 3, values, rounds },
  });
  return new Promise<number[][]>((ok, fail) => {
    w.once('message', (m: number[][]) => {
      ok(m);
      void w.terminate();
    });
    w.once('error', fail);
  });
};

describe('the workers’ shared channel sums', () => {
  it('adds three threads’ sums, the same on each, round after round through both regions', async () => {
    const buffer = sharedSumsBuffer(3);
    resetSharedSums(buffer);
    const others = [partner(buffer, 1, [10, 20, 30], 5), partner(buffer, 2, [100, 200, 300], 5)];
    const mine = new SharedSums(buffer, 0, 3);
    mine.begin(3);
    const totals = Array.from({ length: 5 }, (_, round) =>
      Array.from(mine.allReduce(Float64Array.from([1, 2, 3], (v) => v * (round + 1)))),
    );
    expect(totals[0]).toEqual([111, 222, 333]);
    expect(totals[4]).toEqual([555, 1110, 1665]);
    for (const theirs of await Promise.all(others)) expect(theirs).toEqual(totals);
  });

  it('alone, returns its own sums', () => {
    const mine = new SharedSums(sharedSumsBuffer(2), 0, 2);
    mine.begin(1);
    expect(Array.from(mine.allReduce(Float64Array.from([4, 5])))).toEqual([4, 5]);
  });

  it('stops waiting with an error when another worker has failed', () => {
    const buffer = sharedSumsBuffer(2);
    resetSharedSums(buffer);
    const mine = new SharedSums(buffer, 0, 2);
    mine.begin(2);
    abortSharedSums(buffer);
    expect(() => mine.allReduce(Float64Array.from([1]))).toThrow('another gradient worker failed');
  });

  it('refuses more values than a slot holds', () => {
    const mine = new SharedSums(sharedSumsBuffer(1), 0, 1);
    expect(() => mine.allReduce(new Float64Array(SLOT + 1))).toThrow(
      `shared sums: ${SLOT + 1} values, more than a slot's ${SLOT}`,
    );
  });
});
