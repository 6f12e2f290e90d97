import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { microBatchGradients } from '../learner/grad-step.ts';
import { crossEntropy } from '../learner/learner.ts';
import { softCrossEntropy } from '../additions/soft-loss.ts';
import type { ModelName } from '../models/zoo.ts';
import { trainableVariables } from '../models/variables.ts';
import { buildModel } from '../models/zoo.ts';
import { BatchNorm } from '../models/batch-norm.ts';
import { initNodeBackend } from '../node/node-backend.ts';
import type { InitMessage, StepMessage, StepResult } from './protocol.ts';
import { SharedSums } from './shared-sums.ts';

/** A model replica that turns a shard of a batch into gradients (one per worker thread). */
let model: tf.LayersModel | null = null;
let sums: SharedSums | null = null;

/** The replica's BatchNorm layers add their sums over the step's workers (or not: null). */
const syncBatchNorm = (net: tf.LayersModel, sync: SharedSums | null): void => {
  for (const layer of net.layers) if (layer instanceof BatchNorm) layer.sync = sync;
};

const step = async (m: StepMessage, net: tf.LayersModel): Promise<StepResult> => {
  if (m.syncParties !== null) sums?.begin(m.syncParties);
  syncBatchNorm(net, m.syncParties === null ? null : sums);
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
  const result: StepResult = {
    kind: 'result',
    loss: (await r.loss.data())[0] ?? NaN,
    grads: await Promise.all(
      vars.map(async (v) => new Float32Array(await (r.grads[v.name] ?? v).data())),
    ),
    preds: new Float32Array(await r.preds.data()),
    weights: await Promise.all(
      net.weights.map(async (w) => new Float32Array(await w.read().data())),
    ),
  };
  tf.dispose([x, y, r.loss, r.preds, ...Object.values(r.grads)]);
  return result;
};

parentPort?.on('message', (m: InitMessage | StepMessage) => {
  void (async () => {
    try {
      if (m.kind === 'init') {
        await initNodeBackend(m.backend);
        model = buildModel(m.model as ModelName).model;
        sums = new SharedSums(m.sums, m.rank, m.workers);
        parentPort?.postMessage({ kind: 'ready' });
        return;
      }
      if (!model) throw new Error('worker not initialised');
      const r = await step(m, model);
      parentPort?.postMessage(r, [
        ...r.grads.map((g) => g.buffer),
        r.preds.buffer,
        ...r.weights.map((w) => w.buffer),
      ] as ArrayBuffer[]);
    } catch (err) {
      parentPort?.postMessage({ kind: 'error', message: (err as Error).stack ?? String(err) });
    }
  })();
});
