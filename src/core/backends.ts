/** The tfjs backends by environment, named once; no tfjs here. */

/** Node's backends: wasm (XNNPACK, the fastest on a CPU), cpu (plain JS), webgpu (Dawn on Vulkan). */
export const NODE_BACKENDS = ['wasm', 'cpu', 'webgpu'] as const;
export type NodeBackend = (typeof NODE_BACKENDS)[number];

/** The backends a browser user can pick, best first in each fallback chain. */
export const BROWSER_BACKENDS = ['webgl', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BROWSER_BACKENDS)[number];

/** The Train tab's backend setting: one of the backends, or 'auto', the fastest that works here. */
export const BACKEND_SETTINGS = ['auto', ...BROWSER_BACKENDS] as const;
export type BackendSetting = (typeof BACKEND_SETTINGS)[number];

const onGpu = (backend: string): boolean => backend === 'webgl' || backend === 'webgpu';

/**
 * Images per forward/backward pass: the whole batch on a GPU, at most 256 on the CPU backends
 * (the wasm heap cannot hold the lesson's batch of 1024 at once; the gradients are accumulated).
 * A backend not known yet ('auto' before it is resolved) gets the CPU's size, which fits anywhere.
 */
export const microBatchFor = (backend: string, bs: number): number =>
  onGpu(backend) ? bs : Math.min(bs, 256);
