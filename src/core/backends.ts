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

/** Whether a backend computes on a GPU (there it takes the whole batch on one thread). */
export const onGpu = (backend: string): boolean => backend === 'webgl' || backend === 'webgpu';

/**
 * Rows one wasm thread in Node pushes through a model at once. At 512 the lesson's ResNets take
 * 2.2–2.6 GiB of wasm's 4 GiB heap (resnet-small: 1.3 GiB at 256, 3.6 GiB at 768; 1024 aborts).
 */
export const NODE_CPU_ROWS = 512;
/** The same in the browser: 256 (1.3 GiB for resnet-small), leaving the tab room. */
export const BROWSER_CPU_ROWS = 256;

/**
 * Images per forward/backward pass of one thread: the whole batch on a GPU. On the CPU backends,
 * each gradient worker's shard of the batch (bs / workers, rounded up) in one piece if it fits
 * in `rows`: the workers then add their BatchNorm sums, so BatchNorm sees the whole batch.
 * Otherwise pieces of `rows` with the gradients accumulated, each normalised alone (a thread
 * cannot share statistics between its pieces without holding all their activations). A backend
 * not known yet ('auto' before it is resolved) gets the CPU's size, which fits anywhere.
 */
export const microBatchFor = (
  backend: string,
  bs: number,
  workers = 1,
  rows = BROWSER_CPU_ROWS,
): number => (onGpu(backend) ? bs : Math.min(Math.ceil(bs / workers), rows));

/**
 * Whether BatchNorm normalises the whole batch: one thread takes it in one piece, or each
 * gradient worker takes its share in one piece (the workers then add their BatchNorm sums).
 */
export const wholeBatchNorm = (bs: number, workers: number, microBatch: number): boolean =>
  Math.ceil(bs / workers) <= microBatch;
