import type { TrainAdditions } from '../additions/additions.ts';
import type { FashionMnist } from '../data/fashion-mnist.ts';
import { nodeStore } from './node-store.ts';
import { GradientPool } from '../parallel/pool.ts';
import type { RunIO, RunResult, TrainConfig } from '../run/run.ts';
import { trainRun } from '../run/run.ts';

/** `trainRun` in Node: files under `out`, gradients on worker threads when `config.workers` > 1. */
export const trainRunInDir = (
  config: TrainConfig & TrainAdditions,
  data: FashionMnist,
  io: Omit<RunIO, 'store' | 'startPool'> & { readonly out: string },
): Promise<RunResult> =>
  trainRun(config, data, {
    ...io,
    store: nodeStore(io.out, config.ensemble),
    startPool: async (c) => {
      io.bar?.(`\rstarting ${c.workers} worker threads (each loads the model)…`);
      const pool = await GradientPool.start(c.model, c.workers, {
        backend: c.backend === 'cpu' ? 'cpu' : 'wasm',
      });
      io.bar?.('\r\x1b[K');
      return pool;
    },
  });
