import * as tf from '@tensorflow/tfjs';
import { softCrossEntropy } from '../additions/soft-loss.ts';
import { microBatchGradients } from '../learner/grad-step.ts';
import { crossEntropy } from '../learner/learner.ts';
import { BatchNorm } from '../models/batch-norm.ts';
import { statisticsWeights, trainableVariables } from '../models/variables.ts';
import type { ModelName } from '../models/zoo.ts';
import { buildModel } from '../models/zoo.ts';
import type { ErrorResult, InitMessage, StepMessage, StepResult } from './protocol.ts';
import { SharedSums } from './shared-sums.ts';

/** How a worker shell answers: Node's `parentPort.postMessage` or a Web Worker's `postMessage`. */
export type Post = (
  m: { kind: 'ready' } | StepResult | ErrorResult,
  transfer: ArrayBuffer[],
) => void;

/** The replica's BatchNorm layers add their sums over the step's workers (or not: null). */
const syncBatchNorm = (net: tf.LayersModel, sync: SharedSums | null): void => {
  for (const layer of net.layers) if (layer instanceof BatchNorm) layer.sync = sync;
};

const step = async (
  m: StepMessage,
  net: tf.LayersModel,
  sums: SharedSums | null,
): Promise<StepResult> => {
  const sync = m.syncParties === null ? null : sums;
  sync?.begin(m.syncParties ?? 1);
  syncBatchNorm(net, sync);
  const weights = net.weights.map((w, i) =>
    tf.tensor(m.weights[i] ?? new Float32Array(), w.shape as number[]),
  );
  net.setWeights(weights);
  tf.dispose(weights);
  const n = m.y.length;
  const vars = trainableVariables(net);
  const x = tf.tensor4d(m.x, [n, 28, 28, 1]);
  const y = m.targets
    ? tf.tensor2d(m.targets, [n, m.targets.length / n])
    : tf.tensor1d(m.y, 'int32');
  const r = m.targets
    ? microBatchGradients(net, vars, x, y, softCrossEntropy, m.microBatch, m.share)
    : microBatchGradients(net, vars, x, y as tf.Tensor1D, crossEntropy, m.microBatch, m.share);
  try {
    return {
      kind: 'result',
      loss: (await r.loss.data())[0] ?? NaN,
      grads: await Promise.all(
        vars.map(async (v) => new Float32Array(await (r.grads[v.name] ?? v).data())),
      ),
      preds: new Float32Array(await r.preds.data()),
      stats: await Promise.all(
        statisticsWeights(net).map(async (w) => new Float32Array(await w.read().data())),
      ),
    };
  } finally {
    tf.dispose([x, y, r.loss, r.preds, ...Object.values(r.grads)]);
  }
};

/**
 * A gradient worker's whole behaviour, shared by Node's worker thread (`grad-worker.ts`) and the
 * Train tab's Web Worker: on 'init', start the backend and build the model replica; on each
 * 'step', turn the shard into gradients (with the pool's BatchNorm sums when the step says so).
 * Returns the message handler; its shell only wires it to its messages.
 */
export const replica = (
  startBackend: (backend: InitMessage['backend']) => Promise<unknown>,
  post: Post,
): ((m: InitMessage | StepMessage) => Promise<void>) => {
  let model: tf.LayersModel | null = null;
  let sums: SharedSums | null = null;
  return async (m) => {
    try {
      if (m.kind === 'init') {
        await startBackend(m.backend);
        model = buildModel(m.model as ModelName).model;
        sums = m.sums ? new SharedSums(m.sums, m.rank, m.workers) : null;
        post({ kind: 'ready' }, []);
        return;
      }
      if (!model) throw new Error('worker not initialised');
      const r = await step(m, model, sums);
      post(r, [
        ...r.grads.map((g) => g.buffer),
        r.preds.buffer,
        ...r.stats.map((w) => w.buffer),
      ] as ArrayBuffer[]);
    } catch (err) {
      post({ kind: 'error', message: (err as Error).stack ?? String(err) }, []);
    }
  };
};
