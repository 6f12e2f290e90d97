import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { batchIndices, shuffled } from '../../src/training/data/batches.ts';
import { FILES, normalise, PIXELS } from '../../src/training/data/fashion-mnist.ts';
import { DataFileError, parseIdx } from '../../src/training/data/idx.ts';
import { DEFAULT_DATA_DIR, loadFashionMnistFrom } from '../../src/training/node/node-data.ts';

describe('Fashion-MNIST from data/', () => {
  it('has 60,000 training and 10,000 validation images of 28×28, 6,000/1,000 per class', async () => {
    const d = await loadFashionMnistFrom();
    expect(d.train.n).toBe(60000);
    expect(d.valid.n).toBe(10000);
    expect(d.train.images.length).toBe(60000 * PIXELS);
    const counts = new Array<number>(10).fill(0);
    for (const l of d.train.labels) counts[l] = (counts[l] ?? 0) + 1;
    expect(counts).toEqual(new Array<number>(10).fill(6000));
    // The first training image is an ankle boot (class 9), the first test image too.
    expect(d.train.labels[0]).toBe(9);
    expect(d.valid.labels[0]).toBe(9);
  });

  it('normalises to (x/255 − 0.28)/0.35: range ≈ [−0.80, 2.06], mean ≈ 0', async () => {
    const d = await loadFashionMnistFrom();
    const x = normalise(
      d.train,
      Array.from({ length: 2000 }, (_, i) => i),
    );
    let lo = Infinity;
    let hi = -Infinity;
    let sum = 0;
    for (const v of x) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
      sum += v;
    }
    expect(lo).toBeCloseTo(-0.8, 2);
    expect(hi).toBeCloseTo(2.057, 2);
    expect(Math.abs(sum / x.length)).toBeLessThan(0.1);
  });

  it('names the file and the fault when one is missing or corrupt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fm-'));
    for (const f of Object.values(FILES)) copyFileSync(join(DEFAULT_DATA_DIR, f), join(dir, f));
    writeFileSync(
      join(dir, FILES.validLabels),
      gzipSync(Buffer.from([0, 0, 8, 1, 0, 0, 0, 5, 1, 2])),
    );
    await expect(loadFashionMnistFrom(dir)).rejects.toThrow(
      /t10k-labels-idx1-ubyte\.gz: header promises 5 = 5 bytes of data, the file has 2/,
    );
    writeFileSync(join(dir, FILES.validLabels), 'not gzip');
    await expect(loadFashionMnistFrom(dir)).rejects.toThrow(
      /t10k-labels-idx1-ubyte\.gz: not a valid gzip file/,
    );
    await expect(loadFashionMnistFrom(join(dir, 'nope'))).rejects.toThrow(DataFileError);
    await expect(loadFashionMnistFrom(join(dir, 'nope'))).rejects.toThrow(/cannot read \(ENOENT\)/);
  });

  it('refuses wrong magic numbers and ranks', () => {
    expect(() => parseIdx(new Uint8Array([0, 0, 9, 1, 0, 0, 0, 0]), 'f', 1)).toThrow(
      /not an IDX file/,
    );
    expect(() =>
      parseIdx(new Uint8Array([0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), 'f', 1),
    ).toThrow(/expected 1 dimensions/);
  });
});

describe('batches', () => {
  it('a seeded shuffle is a permutation and repeats for the same seed and epoch', () => {
    const a = shuffled(1000, 42);
    expect([...a].sort((x, y) => x - y)).toEqual([...Array(1000).keys()]);
    expect(shuffled(1000, 42)).toEqual(a);
    expect(shuffled(1000, 43)).not.toEqual(a);
  });
  it('splits 60,000 into 59 batches of 1024, the last of 608 (docs/lesson.md §2)', () => {
    const b = batchIndices(60000, 1024, { seed: 1, epoch: 0 });
    expect(b).toHaveLength(59);
    expect(b.at(-1)?.length).toBe(608);
    expect(batchIndices(60000, 1024, { seed: 1, epoch: 1 })[0]).not.toEqual(b[0]);
    expect(() => batchIndices(10, 0, null)).toThrow(/batch size/);
  });
});
