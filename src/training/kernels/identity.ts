import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';

/**
 * `Identity` (tf.clone, and the engine's copy of every tensor a gradient saves) that shares the
 * input's buffer, as the cpu and WebGL backends do. wasm's own copies the data: about 400
 * copies per training step of resnet-small, 3% of the step. Sharing is safe because no wasm
 * kernel writes into its inputs; the backend counts references, as for `Reshape`.
 */
export const sharedIdentity = (backendName: string): KernelConfig => ({
  kernelName: 'Identity',
  backendName,
  kernelFunc: ({ inputs, backend }) => {
    const { x } = inputs as { x: TensorInfo };
    (backend as unknown as { incRef(dataId: object): void }).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  },
});
