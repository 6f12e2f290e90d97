import * as tf from '@tensorflow/tfjs';

/**
 * Adds per-channel sums over the data-parallel replicas of one step (an all-reduce), so that
 * BatchNorm in each replica sees the statistics of the whole batch. Every replica must make the
 * same calls in the same order; each gets the same total back.
 */
export interface ChannelSync {
  /** `local`, summed elementwise over every replica of this step. */
  allReduce(local: Float64Array): Float64Array;
}

/**
 * Per-channel sums and a row count over every replica (as they are without `sync`). Reads the
 * sums back from the backend, so only for backends that can read synchronously (wasm, cpu).
 */
export const reduceChannels = <T extends readonly tf.Tensor1D[]>(
  sync: ChannelSync | null,
  sums: T,
  rows: number,
): { readonly sums: T; readonly rows: number } => {
  if (!sync) return { sums, rows };
  const parts = sums.map((s) => s.dataSync());
  const packed = new Float64Array(parts.reduce((a, p) => a + p.length, 1));
  let at = 0;
  for (const p of parts) {
    packed.set(p, at);
    at += p.length;
  }
  packed[at] = rows;
  const total = sync.allReduce(packed);
  at = 0;
  const out = parts.map((p) => {
    const t = tf.tensor1d(Float32Array.from(total.subarray(at, at + p.length)));
    at += p.length;
    return t;
  });
  return { sums: out as unknown as T, rows: total[at] ?? rows };
};
