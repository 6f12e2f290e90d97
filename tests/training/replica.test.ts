import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { microBatchGradients } from '../../src/training/learner/grad-step.ts';
import { crossEntropy } from '../../src/training/learner/learner.ts';
import { initWeights } from '../../src/training/models/init.ts';
import { statisticsWeights, trainableVariables } from '../../src/training/models/variables.ts';
import { buildModel } from '../../src/training/models/zoo.ts';
import { initNodeBackend } from '../../src/training/node/node-backend.ts';
import type { ErrorResult, StepMessage, StepResult } from '../../src/training/parallel/protocol.ts';
import { replica } from '../../src/training/parallel/replica.ts';

type Reply = { kind: 'ready' } | StepResult | ErrorResult;

/** The step module as a worker shell runs it, here on this thread: every reply is kept. */
const started = (): { handle: ReturnType<typeof replica>; replies: Reply[]; starts: string[] } => {
  const replies: Reply[] = [];
  const starts: string[] = [];
  const handle = replica(
    async (backend) => {
      starts.push(backend);
      await initNodeBackend(backend);
    },
    (m) => {
      replies.push(m);
    },
  );
  return { handle, replies, starts };
};

const N = 12;
const x = Float32Array.from({ length: N * 784 }, (_, i) => Math.sin(i * 0.37));
const y = Int32Array.from({ length: N }, (_, i) => (i * 7) % 10);

beforeAll(async () => {
  await initNodeBackend('wasm');
});

describe("the gradient workers' step module (Node's worker thread and the Train tab's Web Worker)", () => {
  it('says a step before init is an error, not a crash', async () => {
    const { handle, replies } = started();
    await handle({
      kind: 'step',
      weights: [],
      x,
      y,
      share: 1,
      microBatch: N,
      syncParties: null,
      targets: null,
    });
    expect(replies).toHaveLength(1);
    expect(replies[0]?.kind).toBe('error');
    expect((replies[0] as ErrorResult).message).toContain('worker not initialised');
  });

  it("gives the same loss, gradients and BatchNorm statistics as the model's own step, without leaking tensors", async () => {
    const { model } = buildModel('cnn');
    initWeights(model, 3);
    const weights = model.weights.map((w) => new Float32Array(w.read().dataSync()));
    const { handle, replies, starts } = started();
    await handle({ kind: 'init', model: 'cnn', backend: 'wasm', sums: null, rank: 0, workers: 1 });
    expect(starts).toEqual(['wasm']);
    expect(replies).toEqual([{ kind: 'ready' }]);

    const step: StepMessage = {
      kind: 'step',
      weights: weights.map((w) => w.slice()),
      x,
      y,
      share: 0.5,
      microBatch: 4,
      syncParties: null,
      targets: null,
    };
    await handle(step);
    const before = tf.memory().numTensors;
    await handle({ ...step, weights: weights.map((w) => w.slice()) });
    expect(tf.memory().numTensors).toBe(before);
    const r = replies[2] as StepResult;
    expect(r.kind).toBe('result');

    // The reference: the same shard through the model here, its loss scaled by the same share.
    const vars = trainableVariables(model);
    const xs = tf.tensor4d(x, [N, 28, 28, 1]);
    const ys = tf.tensor1d(y, 'int32');
    const ref = microBatchGradients(model, vars, xs, ys, crossEntropy, 4, 0.5);
    expect(r.loss).toBeCloseTo(ref.loss.dataSync()[0] ?? NaN, 5);
    expect(r.loss).toBeGreaterThan(0.5); // half of an untrained model's ≈ ln 10
    vars.forEach((v, i) => {
      const want = ref.grads[v.name]?.dataSync() ?? new Float32Array();
      const got = r.grads[i] ?? new Float32Array();
      expect(got.length).toBe(want.length);
      const scale = Math.max(...want.map(Math.abs));
      const diff = Math.max(...got.map((g, j) => Math.abs(g - (want[j] ?? NaN))));
      expect(diff).toBeLessThanOrEqual(1e-5 * scale + 1e-9);
    });
    expect(Array.from(r.preds)).toHaveLength(N * 10);
    // The BatchNorm moving statistics moved, as in the model's own training forward.
    const stats = statisticsWeights(model);
    const sent = model.weights.flatMap((w, i) => (stats.includes(w) ? [weights[i]] : []));
    expect(r.stats).toHaveLength(stats.length);
    expect(stats.length).toBeGreaterThan(0);
    stats.forEach((w, i) => {
      const want = w.read().dataSync();
      const got = r.stats[i] ?? new Float32Array();
      expect(got.length).toBe(want.length);
      const diff = Math.max(...got.map((g, j) => Math.abs(g - (want[j] ?? NaN))));
      expect(diff).toBeLessThan(1e-5);
    });
    expect(r.stats.some((w, i) => w.some((v, j) => v !== sent[i]?.[j]))).toBe(true);
    tf.dispose([xs, ys, ref.loss, ref.preds, ...Object.values(ref.grads)]);
    model.dispose();
  });
});
