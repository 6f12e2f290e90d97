import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterViaConv } from '../kernels/conv2d-backprop-filter.ts';
import { fusedBatchNormGrad } from '../kernels/batch-norm-grad.ts';
import { conv2dBackpropInputViaConv } from '../kernels/conv2d-backprop-input.ts';
import { leakyReluGrad } from '../kernels/leaky-relu-grad.ts';
import { leakyReluViaPrelu } from '../kernels/leaky-relu.ts';
import { sharedIdentity } from '../kernels/identity.ts';
import { avgPoolGradTiled } from '../kernels/avg-pool-grad.ts';
import { rowReduction } from '../kernels/reduce-rows.ts';
import { spatialPad, spatialSlice } from '../kernels/slice-pad.ts';
import type { NativeConvs } from '../kernels/native-conv.ts';
import { NATIVE_CONV_KERNELS, nativeConvKernel } from '../kernels/native-conv.ts';
import { nativeChannelKernels } from '../kernels/native-channels.ts';

export type BackendName = 'wasm' | 'cpu' | 'webgl' | 'webgpu';

const replaced = new Set<string>();
const replacedKernels = new Set<string>();

/** The kernels and gradients replaced so far, as `Name@backend` (`Name@gradient` for gradients). */
export const kernelReplacements = (): readonly string[] => [...replacedKernels].sort();

/** Registers `make(backend's own kernel)` in place of the backend's own `name` kernel, if it has one. */
const replaceKernel = (
  name: string,
  backendName: string,
  make: (original: tf.KernelConfig) => tf.KernelConfig,
): void => {
  const original = tf.getKernel(name, backendName) as tf.KernelConfig | undefined;
  if (!original) return;
  tf.unregisterKernel(name, backendName);
  tf.registerKernel(make(original));
  replacedKernels.add(`${name}@${backendName}`);
};

/**
 * Kernels training needs that a backend lacks or runs slowly, supplied once per backend (see
 * kernels/README.md). With `replace` false only the filter gradient, which wasm lacks, is
 * supplied, and tfjs's own kernels and gradients run: a switch for bisecting a numeric problem.
 */
export const supplyMissingKernels = (backendName: string, replace = true): void => {
  const has = (kernel: string): boolean =>
    (tf.getKernel(kernel, backendName) as tf.KernelConfig | undefined) !== undefined;
  if (!has('Conv2DBackpropFilter') && has('Conv2D')) {
    tf.registerKernel(conv2dBackpropFilterViaConv(backendName));
  }
  if (!replace) return;
  if (backendName === 'wasm' && !replaced.has(backendName)) {
    // wasm's own input gradient is a scalar loop; forward convs through XNNPACK are much faster
    replaceKernel('Conv2DBackpropInput', backendName, () =>
      conv2dBackpropInputViaConv(backendName),
    );
    replaceKernel('Identity', backendName, () => sharedIdentity(backendName));
    // reductions over all but the channel axis (batch-norm statistics) as one pooling pass
    replaceKernel('Sum', backendName, rowReduction);
    replaceKernel('Mean', backendName, rowReduction);
    replaceKernel('LeakyRelu', backendName, leakyReluViaPrelu);
    replaceKernel('AvgPoolGrad', backendName, avgPoolGradTiled);
    // the strided convolutions' explicit padding, and its gradient
    replaceKernel('Slice', backendName, spatialSlice);
    replaceKernel('PadV2', backendName, spatialPad);
    replaced.add(backendName);
  }
  if (!replaced.has('LeakyRelu')) {
    tf.registerGradient(leakyReluGrad);
    replaced.add('LeakyRelu');
    replacedKernels.add('LeakyRelu@gradient');
  }
  // The stock batch-norm gradient tiles to the activation's shape and reduces over three axes.
  if (!replaced.has('FusedBatchNorm')) {
    tf.registerGradient(fusedBatchNormGrad);
    replaced.add('FusedBatchNorm');
    replacedKernels.add('FusedBatchNorm@gradient');
  }
};

let nativeName: string | null = null;

/** What runs the wasm backend's convolutions natively in this thread (e.g. "oneDNN"), or null. */
export const nativeConvsInUse = (): string | null => nativeName;

/**
 * Runs the wasm backend's convolutions and their gradients through `native` (Node: oneDNN, see
 * `node/native-convs.ts`), each falling back to the kernel registered before for what the native
 * code does not take, and registers BatchNorm's native per-channel passes. Once per thread, after
 * `supplyMissingKernels`.
 */
export const useNativeConvs = (native: NativeConvs): void => {
  if (nativeName !== null) return;
  for (const name of NATIVE_CONV_KERNELS)
    replaceKernel(name, 'wasm', (original) => nativeConvKernel(name, native, original));
  // BatchNorm's passes: kernels of gradsheet's own, which models/batch-norm.ts uses where present
  for (const k of nativeChannelKernels(native)) tf.registerKernel(k);
  nativeName = native.name;
};
