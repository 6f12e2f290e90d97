import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Batch, DataLoader } from '../../src/training/data/data-loader.ts';
import { Learner } from '../../src/training/learner/learner.ts';
import { initWeights } from '../../src/training/models/init.ts';
import { buildModel } from '../../src/training/models/zoo.ts';
import { initNodeBackend } from '../../src/training/node/node-backend.ts';
import { GradientPool } from '../../src/training/parallel/pool.ts';

let pool: GradientPool;
beforeAll(async () => {
  await initNodeBackend('wasm');
  pool = await GradientPool.start('cnn', 2);
}, 60_000);
afterAll(async () => {
  await pool.close();
});

/** A batch whose two halves are the same images: each half has the batch's BN statistics. */
const doubled = (): DataLoader => {
  const half = tf.randomNormal<tf.Rank.R4>([16, 28, 28, 1], 0, 1, 'float32', 7);
  const x = tf.concat([half, half]);
  const y = tf.tensor1d(
    [...Array(16).keys(), ...Array(16).keys()].map((i) => i % 10),
    'int32',
  );
  half.dispose();
  return {
    length: 1,
    size: 32,
    *batches(): Iterable<Batch> {
      yield { x: x.clone(), y: y.clone() };
    },
  };
};

describe('data-parallel gradients over worker threads', () => {
  // SGD, not Adam: the conv biases before BatchNorm have a true gradient of 0, so both sides
  // compute rounding noise there, which Adam's normalisation would blow up to full-size steps.
  it('two workers take the same steps as one thread (float rounding aside)', async () => {
    const results: Float32Array[][] = [];
    let names: string[] = [];
    for (const p of [null, pool]) {
      const { model } = buildModel('cnn');
      initWeights(model, 3);
      const learn = new Learner({
        model,
        dls: { train: doubled(), valid: doubled() },
        opt: 'momentum',
        lr: 0.1,
        pool: p,
      });
      await learn.fit(2, { valid: false });
      learn.opt?.dispose();
      results.push(model.weights.map((w) => Float32Array.from(w.read().dataSync())));
      names = model.weights.map((w) => w.name);
      model.dispose();
    }
    const [one, two] = results;
    one?.forEach((w, i) => {
      const scale = Math.max(1e-3, ...Array.from(w, Math.abs));
      // the workers add their BatchNorm sums, so the moving variance's n/(n−1)·σ² is over the
      // whole batch's n, as on one thread (each worker's own n was up to 3e-3 off)
      const tol = 1e-4;
      w.forEach((v, j) => {
        expect(
          Math.abs((two?.[i]?.[j] ?? NaN) - v) / scale,
          `weight ${i} (${names[i] ?? ''})`,
        ).toBeLessThan(tol);
      });
    });
  }, 120_000);

  it('leaks no tensors per step', async () => {
    const { model } = buildModel('cnn');
    const learn = new Learner({ model, dls: { train: doubled(), valid: doubled() }, pool });
    await learn.fit(1, { valid: false });
    const n = tf.memory().numTensors;
    await learn.fit(2, { valid: false });
    learn.opt?.dispose();
    expect(tf.memory().numTensors).toBeLessThanOrEqual(n);
  }, 120_000);
});
