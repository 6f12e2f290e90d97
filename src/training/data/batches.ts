import { mulberry32 } from '../../core/index.ts';

/** 0…n−1 shuffled by a seeded Fisher–Yates: the same seed and epoch give the same order. */
export const shuffled = (n: number, seed: number): Uint32Array => {
  const idx = Uint32Array.from({ length: n }, (_, i) => i);
  const rng = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = idx[i] ?? 0;
    idx[i] = idx[j] ?? 0;
    idx[j] = t;
  }
  return idx;
};

/** Index batches of `bs` (the last may be smaller), in order or shuffled for `epoch`. */
export const batchIndices = (
  n: number,
  bs: number,
  shuffle: { seed: number; epoch: number } | null,
): Uint32Array[] => {
  if (!(bs >= 1) || !Number.isInteger(bs))
    throw new RangeError(`batch size must be a whole number ≥ 1, got ${bs}`);
  const order = shuffle
    ? shuffled(n, shuffle.seed * 1000003 + shuffle.epoch)
    : Uint32Array.from({ length: n }, (_, i) => i);
  const out: Uint32Array[] = [];
  for (let i = 0; i < n; i += bs) out.push(order.subarray(i, Math.min(n, i + bs)));
  return out;
};
