import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { wholeBatchNorm } from '../../core/backends.ts';
import type { Batch } from '../data/data-loader.ts';
import type { ParallelStep, ShardedGradients } from './sharded-gradients.ts';
import type { ErrorResult, StepMessage, StepResult } from './protocol.ts';
import { abortSharedSums, resetSharedSums, sharedSumsBuffer } from './shared-sums.ts';

/** sum += k·part, as a plain loop (a closure per element cost 40 ms a step on 1.2 M weights). */
const addInto = (sum: Float32Array, part: Float32Array | undefined, k: number): void => {
  if (!part) return;
  const n = Math.min(sum.length, part.length);
  for (let j = 0; j < n; j++) sum[j] = (sum[j] ?? 0) + k * (part[j] ?? 0);
};

const isError = (m: unknown): m is ErrorResult =>
  typeof m === 'object' && m !== null && (m as { kind?: unknown }).kind === 'error';

const reply = <T>(w: Worker): Promise<T> =>
  new Promise<T>((ok, fail) => {
    const onMessage = (m: unknown): void => {
      w.off('error', fail);
      if (isError(m)) fail(new Error(`gradient worker: ${m.message}`));
      else ok(m as T);
    };
    w.once('message', onMessage);
    w.once('error', fail);
  });

export interface PoolOptions {
  readonly backend?: 'wasm' | 'cpu';
  /** Add BatchNorm's sums over the workers when each shard fits one micro-batch (default). */
  readonly syncBatchNorm?: boolean;
}

/**
 * Data parallelism over worker threads, so training uses every core (tfjs wasm runs one
 * thread in Node). Each worker holds a replica; a batch is split into one shard per worker;
 * their gradients are summed (each shard's loss is scaled by its share of the batch, so the sum
 * is the full batch's mean gradient).
 *
 * BatchNorm: when every shard goes through its replica in one piece (micro-batch ≥ shard), the
 * workers add their channel sums in each BatchNorm, forward and backward (`shared-sums.ts`),
 * so the whole batch is normalised as one, as on one device: same loss, gradients and moving
 * statistics. Otherwise each micro-batch is normalised alone, and the moving statistics are
 * averaged over the workers.
 */
export class GradientPool implements ShardedGradients {
  readonly #workers: Worker[];
  readonly #sums: SharedArrayBuffer;
  readonly #sync: boolean;

  private constructor(workers: Worker[], sums: SharedArrayBuffer, sync: boolean) {
    this.#workers = workers;
    this.#sums = sums;
    this.#sync = sync;
    // a worker that dies leaves no one waiting for it in a BatchNorm exchange
    for (const w of workers)
      w.on('error', () => {
        abortSharedSums(sums);
      });
  }

  static async start(
    model: string,
    size: number,
    { backend = 'wasm', syncBatchNorm = true }: PoolOptions = {},
  ): Promise<GradientPool> {
    const sums = sharedSumsBuffer(size);
    const workers = Array.from(
      { length: size },
      () => new Worker(new URL('./boot.mjs', import.meta.url)),
    );
    await Promise.all(
      workers.map((w, rank) => {
        const ready = reply<{ kind: 'ready' }>(w);
        w.postMessage({ kind: 'init', model, backend, sums, rank, workers: size });
        return ready;
      }),
    );
    return new GradientPool(workers, sums, syncBatchNorm);
  }

  get size(): number {
    return this.#workers.length;
  }

  /** One batch's loss, summed gradients and predictions; the model's BN statistics are updated. */
  async step(
    model: tf.LayersModel,
    batch: Batch,
    microBatch: number,
    targets: tf.Tensor2D | null = null,
  ): Promise<ParallelStep> {
    const n = batch.y.shape[0];
    const classes = targets?.shape[1] ?? 0;
    const soft = targets ? await targets.data() : null;
    const weights = await Promise.all(
      model.weights.map(async (w) => new Float32Array(await w.read().data())),
    );
    const x = await batch.x.data();
    const y = await batch.y.data();
    const per = Math.ceil(n / this.#workers.length);
    const shards = this.#workers
      .map((_, k) => [k * per, Math.min(n, (k + 1) * per)] as const)
      .filter(([a, b]) => b > a);
    const syncParties =
      this.#sync && shards.length > 1 && wholeBatchNorm(n, this.#workers.length, microBatch)
        ? shards.length
        : null;
    resetSharedSums(this.#sums);
    const results = await Promise.all(
      shards.map(([a, b], k) => {
        const w = this.#workers[k];
        if (!w) throw new Error('no worker');
        const r = reply<StepResult>(w);
        const message: StepMessage = {
          kind: 'step',
          weights,
          x: Float32Array.from(x.subarray(a * 784, b * 784)),
          y: Int32Array.from(y.slice(a, b)),
          targets: soft ? Float32Array.from(soft.subarray(a * classes, b * classes)) : null,
          share: (b - a) / n,
          microBatch,
          syncParties,
        };
        w.postMessage(message);
        return r.catch((err: unknown) => {
          abortSharedSums(this.#sums);
          throw err;
        });
      }),
    );
    const trainable = new Set(model.trainableWeights.map((w) => w.name));
    const names = model.trainableWeights.map((w) => w.name);
    const grads: Record<string, tf.Tensor> = {};
    names.forEach((name, i) => {
      const sum = new Float32Array(results[0]?.grads[i]?.length ?? 0);
      for (const r of results) addInto(sum, r.grads[i], 1);
      grads[name] = tf.tensor(sum, model.trainableWeights[i]?.shape as number[]);
    });
    // BatchNorm moving statistics: the mean over workers of each worker's update.
    const updated = model.weights.map((w, i) => {
      if (trainable.has(w.name)) return null;
      const avg = new Float32Array(weights[i]?.length ?? 0);
      for (const r of results) addInto(avg, r.weights[i], 1 / results.length);
      return tf.tensor(avg, w.shape as number[]);
    });
    model.weights.forEach((w, i) => {
      const t = updated[i];
      if (t) {
        w.write(t);
        t.dispose();
      }
    });
    const preds = tf.tidy(() =>
      tf.concat(results.map((r) => tf.tensor2d(r.preds, [r.preds.length / 10, 10]))),
    );
    return { loss: results.reduce((a, r) => a + r.loss, 0), grads, preds };
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
