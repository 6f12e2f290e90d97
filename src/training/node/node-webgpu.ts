import * as tf from '@tensorflow/tfjs';

/** Why `--backend webgpu` cannot start, with what to do instead. */
export class WebGpuUnavailableError extends Error {
  override name = 'WebGpuUnavailableError';
}

interface DawnModule {
  create(options: string[]): GPU;
  globals: Record<string, unknown>;
}

const NO_DRIVER =
  'Dawn found no Vulkan driver, so there is no GPU adapter. Install one (NVIDIA’s driver with ' +
  'its Vulkan ICD, or the software lavapipe of Mesa ≥ 24: on Debian bookworm ' +
  '`apt-get install -t bookworm-backports mesa-vulkan-drivers`; bookworm’s own Mesa 22 is ' +
  'refused by Dawn), or train with --backend wasm.';

/** A one-line description of the adapter Dawn picked, e.g. "nvidia hopper" or "mesa software (llvmpipe…)". */
export let adapterInfo = '';

/**
 * Puts Dawn's WebGPU (the npm package `webgpu`) on `navigator.gpu`, checks that an adapter
 * exists, then loads tfjs's webgpu backend, which looks for `navigator.gpu` when it is imported.
 */
export const startNodeWebGpu = async (): Promise<void> => {
  let dawn: DawnModule;
  try {
    dawn = (await import('webgpu')) as unknown as DawnModule;
  } catch (err) {
    throw new WebGpuUnavailableError(
      `--backend webgpu needs the npm package 'webgpu' (Dawn for Node; an optional dependency, ` +
        `npm install webgpu): ${(err as Error).message.split('\n')[0] ?? ''}. Or use --backend wasm.`,
    );
  }
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  Object.defineProperty(globalThis, 'navigator', {
    value: { ...(globalThis.navigator as object | undefined), gpu },
    configurable: true,
    writable: true,
  });
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new WebGpuUnavailableError(NO_DRIVER);
  adapterInfo = [adapter.info.vendor, adapter.info.architecture, adapter.info.description]
    .filter((s) => s !== '')
    .join(' ');
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await tf.setBackend('webgpu')))
    throw new WebGpuUnavailableError(`tfjs's webgpu backend did not start on ${adapterInfo}`);
  await tf.ready();
};
