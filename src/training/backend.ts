import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterViaConv } from './kernels/conv2d-backprop-filter.ts';

export type BackendName = 'wasm' | 'cpu' | 'webgl' | 'webgpu';

/** Kernels training needs that a backend lacks, supplied once per backend. */
export const supplyMissingKernels = (backendName: string): void => {
  const has = (kernel: string): boolean =>
    (tf.getKernel(kernel, backendName) as tf.KernelConfig | undefined) !== undefined;
  if (!has('Conv2DBackpropFilter') && has('Conv2D')) {
    tf.registerKernel(conv2dBackpropFilterViaConv(backendName));
  }
};
