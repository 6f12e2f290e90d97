import { DataFileError } from '../training/index.ts';
import {
  initNodeBackend,
  loadFashionMnistFrom,
  nativeConvsInUse,
  WebGpuUnavailableError,
} from '../training/node/index.ts';
import { UsageError } from './args.ts';

/** The Fashion-MNIST files from `dir` (default data/); a missing or damaged one is a usage error naming it. */
export const loadData = async (dir: string | undefined) => {
  try {
    return await loadFashionMnistFrom(dir);
  } catch (err) {
    if (err instanceof DataFileError) throw new UsageError(err.message);
    throw err;
  }
};

/**
 * Starts the run's backend and names it as the CLI prints it, with the native convolutions when
 * they are in use ("wasm (convolutions: oneDNN)"); a webgpu that cannot start is a usage error
 * that says what to do.
 */
export const startBackend = async (name: string): Promise<string> => {
  try {
    const started = await initNodeBackend(name === 'cpu' || name === 'webgpu' ? name : 'wasm');
    const native = nativeConvsInUse();
    return native ? `${started} (convolutions: ${native})` : started;
  } catch (err) {
    if (err instanceof WebGpuUnavailableError) throw new UsageError(err.message);
    throw err;
  }
};
