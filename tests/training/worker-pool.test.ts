import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../src/training/node/node-backend.ts';
import { nodeTransport } from '../../src/training/parallel/node-transport.ts';
import { WorkerPool } from '../../src/training/parallel/worker-pool.ts';
import { buildModel } from '../../src/training/models/zoo.ts';

const dying = new URL('./fixtures/dying-worker.mjs', import.meta.url);

describe('a gradient worker that dies between steps', () => {
  it('fails the next step at once, with the reason, instead of waiting for it forever', async () => {
    await initNodeBackend('wasm');
    const pool = await WorkerPool.start((rank) => nodeTransport(rank, dying), 'cnn', 2);
    await new Promise((done) => setTimeout(done, 500)); // both have exited by now
    const { model } = buildModel('cnn');
    const batch = {
      x: tf.zeros<tf.Rank.R4>([4, 28, 28, 1]),
      y: tf.tensor1d([0, 1, 2, 3], 'int32'),
    };
    await expect(pool.step(model, batch, 256)).rejects.toThrow(
      'a gradient worker failed: it exited (code 3)',
    );
    tf.dispose([batch.x, batch.y]);
    model.dispose();
    await pool.close();
  }, 30_000);
});
