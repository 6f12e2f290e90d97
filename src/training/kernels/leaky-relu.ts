import type { KernelConfig, LeakyReluAttrs, TensorInfo } from '@tensorflow/tfjs';
import { KernelKit } from './kernel-kit.ts';

/**
 * `LeakyRelu` as `Prelu` with α for every channel, which wasm runs through XNNPACK's
 * vectorised kernel. wasm's own LeakyRelu (like its Maximum) branches on every element, and on
 * activations, half of them negative at random, that costs about 12 ns an element: 30 times
 * Prelu's.
 */
export const leakyReluViaPrelu = (original: KernelConfig): KernelConfig => ({
  kernelName: original.kernelName,
  backendName: original.backendName,
  kernelFunc: (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { alpha } = args.attrs as unknown as LeakyReluAttrs;
    if (x.dtype !== 'float32' || x.shape.length === 0) return original.kernelFunc(args);
    return KernelKit.run(args.backend, original.backendName, (kit) => {
      const channels = x.shape[x.shape.length - 1] ?? 1;
      const slopes = kit.call('Fill', {}, { shape: [channels], value: alpha, dtype: 'float32' });
      return kit.call('Prelu', { x, alpha: slopes });
    });
  },
});
