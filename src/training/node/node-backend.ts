import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BackendName } from '../run/backend.ts';
import { supplyMissingKernels, useNativeConvs } from '../run/backend.ts';
import { loadNativeConvs } from './native-convs.ts';
import { startNodeWebGpu } from './node-webgpu.ts';
import { NODE_BACKENDS } from '../../core/backends.ts';

/** `GRADSHEET_STOCK_KERNELS=1` runs tfjs's own kernels (kernels/README.md), workers included. */
const stockKernels = (): boolean => process.env.GRADSHEET_STOCK_KERNELS === '1';

/**
 * Starts a tfjs backend in Node: `wasm` (XNNPACK, SIMD; the fastest on a CPU), `cpu` (pure JS,
 * slow) or `webgpu` (Dawn, on a Vulkan driver). Supplies the kernels training needs that the
 * backend lacks; on wasm, runs the convolutions natively where they were built
 * (`node/native-convs.ts`).
 */
export const initNodeBackend = async (name: BackendName = 'wasm'): Promise<string> => {
  if (!(NODE_BACKENDS as readonly string[]).includes(name)) {
    throw new Error(
      `backend '${name}' is not available in Node; use ${NODE_BACKENDS.join(' or ')}`,
    );
  }
  if (name === 'wasm') {
    const require = createRequire(import.meta.url);
    setWasmPaths(
      `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`,
    );
  }
  tf.enableProdMode(); // quiet, and no per-op debug checks
  if (name === 'webgpu') await startNodeWebGpu();
  else if (!(await tf.setBackend(name))) throw new Error(`tfjs backend '${name}' failed to start`);
  await tf.ready();
  supplyMissingKernels(name, !stockKernels());
  if (name === 'wasm') {
    const native = loadNativeConvs();
    if (native) useNativeConvs(native);
  }
  return tf.getBackend();
};
