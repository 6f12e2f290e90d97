import * as tf from '@tensorflow/tfjs';
import { wholeBatchNorm } from '../../core/backends.ts';
import type { Batch } from '../data/data-loader.ts';
import { statisticsWeights } from '../models/variables.ts';
import type { ParallelStep, ShardedGradients } from './sharded-gradients.ts';
import type { ErrorResult, InitMessage, StepMessage, StepResult } from './protocol.ts';
import { abortSharedSums, resetSharedSums, sharedSumsBuffer } from './shared-sums.ts';
import type { Spawn, Transport } from './transport.ts';

/** sum += k·part, as a plain loop (a closure per element cost 40 ms a step on 1.2 M weights). */
const addInto = (sum: Float32Array, part: Float32Array | undefined, k: number): void => {
  if (!part) return;
  const n = Math.min(sum.length, part.length);
  for (let j = 0; j < n; j++) sum[j] = (sum[j] ?? 0) + k * (part[j] ?? 0);
};

/** The element-wise mean of equally long arrays. */
const mean = (parts: readonly (Float32Array | undefined)[]): Float32Array => {
  const avg = new Float32Array(parts[0]?.length ?? 0);
  for (const p of parts) addInto(avg, p, 1 / parts.length);
  return avg;
};

const isError = (m: unknown): m is ErrorResult =>
  typeof m === 'object' && m !== null && (m as { kind?: unknown }).kind === 'error';

const reply = async <T>(w: Transport): Promise<T> => {
  const m = await w.next();
  if (isError(m)) throw new Error(`gradient worker: ${m.message}`);
  return m as T;
};

/** Whether this context can share memory between workers (a cross-origin-isolated page, Node). */
export const canShareMemory = (): boolean =>
  typeof SharedArrayBuffer === 'function' &&
  (typeof crossOriginIsolated === 'undefined' || crossOriginIsolated);

export interface PoolOptions {
  readonly backend?: 'wasm' | 'cpu';
  /**
   * Add BatchNorm's sums over the workers when each shard fits one micro-batch (default). Needs
   * SharedArrayBuffer: without it (a page that is not cross-origin isolated) each shard is
   * normalised alone.
   */
  readonly syncBatchNorm?: boolean;
}

/**
 * Data parallelism over workers, so training uses every core (tfjs wasm runs one thread per
 * worker). Each worker holds a replica; a batch is split into one shard per worker; their
 * gradients are summed (each shard's loss is scaled by its share of the batch, so the sum is
 * the full batch's mean gradient). The workers are Node worker threads (`pool.ts`) or a
 * browser's Web Workers (the Train tab), behind a `Transport`.
 *
 * BatchNorm: when every shard goes through its replica in one piece (micro-batch ≥ shard), the
 * workers add their channel sums in each BatchNorm, forward and backward (`shared-sums.ts`),
 * so the whole batch is normalised as one, as on one device: same loss, gradients and moving
 * statistics. Otherwise each micro-batch is normalised alone, and the moving statistics are
 * averaged over the workers.
 */
export class WorkerPool implements ShardedGradients {
  readonly #workers: Transport[];
  readonly #sums: SharedArrayBuffer | null;
  readonly #sync: boolean;
  /** Why a worker failed or ended, once one has: every later step is refused at once. */
  #failed: string | null = null;

  private constructor(workers: Transport[], sums: SharedArrayBuffer | null, sync: boolean) {
    this.#workers = workers;
    this.#sums = sums;
    this.#sync = sync;
    // a worker that dies leaves no one waiting for it in a BatchNorm exchange
    for (const w of workers)
      w.onFailure((reason) => {
        this.#failed ??= reason;
        if (sums) abortSharedSums(sums);
      });
  }

  static async start(
    spawn: Spawn,
    model: string,
    size: number,
    { backend = 'wasm', syncBatchNorm = true }: PoolOptions = {},
  ): Promise<WorkerPool> {
    const sums = canShareMemory() ? sharedSumsBuffer(size) : null;
    const workers = Array.from({ length: size }, (_, rank) => spawn(rank));
    try {
      await Promise.all(
        workers.map((w, rank) => {
          const ready = reply<{ kind: 'ready' }>(w);
          const init: InitMessage = { kind: 'init', model, backend, sums, rank, workers: size };
          w.post(init);
          return ready;
        }),
      );
    } catch (err) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw err;
    }
    return new WorkerPool(workers, sums, syncBatchNorm && sums !== null);
  }

  get size(): number {
    return this.#workers.length;
  }

  /** Whether the workers normalise the whole batch (false: each shard alone, no shared memory). */
  get sharesBatchNorm(): boolean {
    return this.#sync;
  }

  /** One batch's loss, summed gradients and predictions; the model's BN statistics are updated. */
  async step(
    model: tf.LayersModel,
    batch: Batch,
    microBatch: number,
    targets: tf.Tensor2D | null = null,
  ): Promise<ParallelStep> {
    if (this.#failed !== null) throw new Error(`a gradient worker failed: ${this.#failed}`);
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
    const sums = this.#sums;
    if (sums) resetSharedSums(sums);
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
        w.post(message);
        return r.catch((err: unknown) => {
          if (sums) abortSharedSums(sums);
          throw err;
        });
      }),
    );
    const names = model.trainableWeights.map((w) => w.name);
    const grads: Record<string, tf.Tensor> = {};
    names.forEach((name, i) => {
      const sum = new Float32Array(results[0]?.grads[i]?.length ?? 0);
      for (const r of results) addInto(sum, r.grads[i], 1);
      grads[name] = tf.tensor(sum, model.trainableWeights[i]?.shape as number[]);
    });
    // BatchNorm moving statistics: with the sums shared every worker has the same (the first's,
    // bit for bit); otherwise the mean over workers of each worker's update.
    statisticsWeights(model).forEach((w, i) => {
      const parts = results.map((r) => r.stats[i]);
      const t = tf.tensor(
        syncParties !== null ? (parts[0] ?? []) : mean(parts),
        w.shape as number[],
      );
      w.write(t);
      t.dispose();
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
