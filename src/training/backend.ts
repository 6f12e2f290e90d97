import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterViaConv } from './kernels/conv2d-backprop-filter.ts';
import { fusedBatchNormGrad } from './kernels/batch-norm-grad.ts';
import { conv2dBackpropInputViaConv } from './kernels/conv2d-backprop-input.ts';

export type BackendName = 'wasm' | 'cpu' | 'webgl' | 'webgpu';

const replaced = new Set<string>();

/** Kernels training needs that a backend lacks or runs slowly, supplied once per backend. */
export const supplyMissingKernels = (backendName: string): void => {
  const has = (kernel: string): boolean =>
    (tf.getKernel(kernel, backendName) as tf.KernelConfig | undefined) !== undefined;
  if (!has('Conv2DBackpropFilter') && has('Conv2D')) {
    tf.registerKernel(conv2dBackpropFilterViaConv(backendName));
  }
  // wasm's own input gradient is a scalar loop; a forward conv through XNNPACK is much faster.
  if (backendName === 'wasm' && !replaced.has(backendName)) {
    tf.unregisterKernel('Conv2DBackpropInput', backendName);
    tf.registerKernel(conv2dBackpropInputViaConv(backendName));
    replaced.add(backendName);
  }
  // The stock batch-norm gradient tiles to the activation's shape and reduces over three axes.
  if (!replaced.has('FusedBatchNorm')) {
    tf.registerGradient(fusedBatchNormGrad);
    replaced.add('FusedBatchNorm');
  }
};
