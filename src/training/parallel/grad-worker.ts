import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { crossEntropy } from '../learner.ts';
import type { ModelName } from '../models/zoo.ts';
import { buildModel } from '../models/zoo.ts';
import { initNodeBackend } from '../node-backend.ts';
import type { InitMessage, StepMessage, StepResult } from './protocol.ts';

/** A model replica that turns a shard of a batch into gradients (one per worker thread). */
let model: tf.LayersModel | null = null;

const step = async (m: StepMessage, net: tf.LayersModel): Promise<StepResult> => {
  const weights = net.weights.map((w, i) =>
    tf.tensor(m.weights[i] ?? new Float32Array(), w.shape as number[]),
  );
  net.setWeights(weights);
  tf.dispose(weights);
  const n = m.y.length;
  const vars = net.trainableWeights
    .map((w) => tf.engine().registeredVariables[w.name])
    .filter((v): v is tf.Variable => v !== undefined);
  const acc: Record<string, tf.Tensor> = {};
  const preds: Float32Array[] = [];
  let loss = 0;
  for (let start = 0; start < n; start += m.microBatch) {
    const size = Math.min(m.microBatch, n - start);
    const x = tf.tensor4d(m.x.subarray(start * 784, (start + size) * 784), [size, 28, 28, 1]);
    const y = tf.tensor1d(m.y.subarray(start, start + size), 'int32');
    const kept: { preds: tf.Tensor | null } = { preds: null };
    const { value, grads } = tf.variableGrads(() => {
      const out = net.apply(x, { training: true }) as tf.Tensor;
      kept.preds = tf.keep(out);
      return tf.mul(crossEntropy(out, y), (m.share * size) / n);
    }, vars);
    loss += (await value.data())[0] ?? NaN;
    if (kept.preds) preds.push(new Float32Array(await kept.preds.data()));
    for (const [k, g] of Object.entries(grads)) {
      const prev = acc[k];
      acc[k] = prev ? tf.add(prev, g) : g;
      if (prev) tf.dispose([prev, g]);
    }
    tf.dispose([x, y, value, kept.preds].filter((t) => t !== null));
  }
  const all = new Float32Array(preds.reduce((a, p) => a + p.length, 0));
  preds.reduce((o, p) => (all.set(p, o), o + p.length), 0);
  const result: StepResult = {
    kind: 'result',
    loss,
    grads: await Promise.all(
      vars.map(async (v) => new Float32Array(await (acc[v.name] ?? v).data())),
    ),
    preds: all,
    weights: await Promise.all(
      net.weights.map(async (w) => new Float32Array(await w.read().data())),
    ),
  };
  tf.dispose(Object.values(acc));
  return result;
};

parentPort?.on('message', (m: InitMessage | StepMessage) => {
  void (async () => {
    try {
      if (m.kind === 'init') {
        await initNodeBackend(m.backend);
        model = buildModel(m.model as ModelName).model;
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
