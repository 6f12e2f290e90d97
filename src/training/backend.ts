import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterViaConv } from './kernels/conv2d-backprop-filter.ts';
import { fusedBatchNormGrad } from './kernels/batch-norm-grad.ts';
import { conv2dBackpropInputViaConv } from './kernels/conv2d-backprop-input.ts';
import { leakyReluGrad } from './kernels/leaky-relu-grad.ts';
import { leakyReluViaPrelu } from './kernels/leaky-relu.ts';
import { sharedIdentity } from './kernels/identity.ts';
import { avgPoolGradTiled } from './kernels/avg-pool-grad.ts';
import { rowReduction } from './kernels/reduce-rows.ts';

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
  // Reductions over all but the channel axis (batch-norm statistics) as GEMMs on wasm.
  if (backendName === 'wasm' && !replaced.has('wasm-reductions')) {
    for (const name of ['Sum', 'Mean']) {
      const original = tf.getKernel(name, backendName) as tf.KernelConfig | undefined;
      if (!original) continue;
      tf.unregisterKernel(name, backendName);
      tf.registerKernel(rowReduction(original));
    }
    replaced.add('wasm-reductions');
  }
  if (backendName === 'wasm' && !replaced.has('wasm-elementwise')) {
    tf.unregisterKernel('Identity', backendName);
    tf.registerKernel(sharedIdentity(backendName));
    const leaky = tf.getKernel('LeakyRelu', backendName) as tf.KernelConfig | undefined;
    if (leaky) {
      tf.unregisterKernel('LeakyRelu', backendName);
      tf.registerKernel(leakyReluViaPrelu(leaky));
    }
    const pool = tf.getKernel('AvgPoolGrad', backendName) as tf.KernelConfig | undefined;
    if (pool) {
      tf.unregisterKernel('AvgPoolGrad', backendName);
      tf.registerKernel(avgPoolGradTiled(pool));
    }
    replaced.add('wasm-elementwise');
  }
  if (!replaced.has('LeakyRelu')) {
    tf.registerGradient(leakyReluGrad);
    replaced.add('LeakyRelu');
  }
  // The stock batch-norm gradient tiles to the activation's shape and reduces over three axes.
  if (!replaced.has('FusedBatchNorm')) {
    tf.registerGradient(fusedBatchNormGrad);
    replaced.add('FusedBatchNorm');
  }
};
