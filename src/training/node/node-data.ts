import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { FashionMnist } from '../data/fashion-mnist.ts';
import { loadFashionMnist } from '../data/fashion-mnist.ts';
import { DataFileError } from '../data/idx.ts';

/**
 * The repository's `data/`: the nearest folder above this file that holds `package.json`, so it
 * is found from the sources (src/training/node/) and from the compiled CLI (dist/cli/) alike.
 */
const repositoryRoot = (from: string): string => {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return resolve(from, '../../..');
  }
};
export const DEFAULT_DATA_DIR = join(repositoryRoot(import.meta.dirname), 'data');

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
