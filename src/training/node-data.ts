import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { FashionMnist } from './fashion-mnist.ts';
import { loadFashionMnist } from './fashion-mnist.ts';
import { DataFileError } from './idx.ts';

export const DEFAULT_DATA_DIR = resolve(import.meta.dirname, '../../data');

/** Fashion-MNIST from the `.gz` files in `dir` (default: the repository's `data/`). */
export const loadFashionMnistFrom = (dir = DEFAULT_DATA_DIR): Promise<FashionMnist> =>
  loadFashionMnist(async (name) => {
    const path = join(dir, name);
    let gz: Buffer;
    try {
      gz = await readFile(path);
    } catch (err) {
      throw new DataFileError(
        `${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); the four Fashion-MNIST files belong in ${dir}`,
      );
    }
    try {
      return new Uint8Array(gunzipSync(gz));
    } catch (err) {
      throw new DataFileError(`${path}: not a valid gzip file (${(err as Error).message})`);
    }
  });
