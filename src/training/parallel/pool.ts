import { nodeTransport } from './node-transport.ts';
import type { PoolOptions } from './worker-pool.ts';
import { WorkerPool } from './worker-pool.ts';

export type { PoolOptions } from './worker-pool.ts';

/** The gradient workers in Node: one worker thread per core (`WorkerPool`, `grad-worker.ts`). */
export type GradientPool = WorkerPool;
export const GradientPool = {
  start: (model: string, size: number, options: PoolOptions = {}): Promise<GradientPool> =>
    WorkerPool.start(nodeTransport, model, size, options),
};
