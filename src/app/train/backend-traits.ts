import type { BackendChoice } from './protocol.ts';

/** Each backend's name as the page writes it. */
export const BACKEND_LABELS: Readonly<Record<BackendChoice, string>> = {
  webgl: 'WebGL',
  webgpu: 'WebGPU',
  wasm: 'WebAssembly',
  cpu: 'plain JavaScript',
};

const onGpu = (backend: string): boolean => backend === 'webgl' || backend === 'webgpu';

/**
 * Images per forward/backward pass: the whole batch on a GPU, at most 256 on the CPU backends
 * (the wasm heap cannot hold the lesson's batch of 1024 at once; the gradients are accumulated).
 * A backend not known yet ('auto' before it is resolved) gets the CPU's size, which fits anywhere.
 */
export const microBatchFor = (backend: string, bs: number): number =>
  onGpu(backend) ? bs : Math.min(bs, 256);

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
