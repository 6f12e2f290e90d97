import type { BackendChoice } from './protocol.ts';

/** Each backend's name as the page writes it. */
export const BACKEND_LABELS: Readonly<Record<BackendChoice, string>> = {
  webgl: 'WebGL',
  webgpu: 'WebGPU',
  wasm: 'WebAssembly',
  cpu: 'plain JavaScript',
};

export { microBatchFor } from '../../core/backends.ts';

/**
 * Where a backend trains, for the header and the backend line: "on your GPU (WebGL)",
 * "on wasm (CPU)". `software` names a software renderer (SwiftShader): no GPU, though WebGL.
 */
export const whereItTrains = (backend: string, software: string | null = null): string => {
  switch (backend) {
    case 'webgl':
    case 'webgpu': {
      const label = BACKEND_LABELS[backend];
      return software ? `on ${label} in software (${software}, CPU)` : `on your GPU (${label})`;
    }
    case 'wasm':
      return 'on wasm (CPU)';
    case 'cpu':
      return 'in plain JavaScript (CPU)';
    default:
      return `on ${backend}`;
  }
};
