import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkCheckpointState } from '../../../src/training/run/checkpoint.ts';
import { emaCallback, WeightEma } from '../../../src/training/additions/ema.ts';
import { DataFileError } from '../../../src/training/data/idx.ts';
import type { Batch, DataLoader } from '../../../src/training/data/data-loader.ts';
import { Learner } from '../../../src/training/learner/learner.ts';
import { initNodeBackend } from '../../../src/training/node/node-backend.ts';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

/** A dense layer on flattened images, and a BatchNorm (whose moving statistics are not averaged). */
const tiny = (): tf.LayersModel => {
  const input = tf.input({ shape: [28, 28, 1] });
  const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
  const dense = tf.layers.dense({ units: 10, kernelInitializer: 'glorotNormal' }).apply(flat);
  const out = tf.layers.batchNormalization().apply(dense);
  return tf.model({ inputs: input, outputs: out as tf.SymbolicTensor });
};
const loader = (batches: number, bs: number): DataLoader => ({
  length: batches,
  size: batches * bs,
  *batches(epoch): Iterable<Batch> {
    for (let i = 0; i < batches; i++) {
      const seed = 100 * epoch + i;
      yield {
        x: tf.randomNormal<tf.Rank.R4>([bs, 28, 28, 1], 0, 1, 'float32', seed),
        y: tf.tensor1d(
          Array.from({ length: bs }, (_, k) => (k + i) % 10),
          'int32',
        ),
      };
    }
  },
});
const host = (ts: readonly tf.Tensor[]): Float32Array[] =>
  ts.map((t) => Float32Array.from(t.dataSync()));
const trainableOf = (m: tf.LayersModel): Float32Array[] =>
  host(m.trainableWeights.map((w) => w.read()));

/** Σ_i (1 − d)·d^(k−i)·w_i / (1 − d^k) over the recorded weights w_1…w_k, in float64. */
const closedForm = (recorded: Float32Array[][], d: number): Float64Array[] => {
  const k = recorded.length;
  const first = recorded[0] ?? [];
  return first.map((w0, j) => {
    const out = new Float64Array(w0.length);
    recorded.forEach((ws, i) => {
      const c = ((1 - d) * Math.pow(d, k - 1 - i)) / (1 - Math.pow(d, k));
      ws[j]?.forEach((v, e) => (out[e] = (out[e] ?? 0) + c * v));
    });
    return out;
  });
};
const expectClose = (got: ArrayLike<number>[], want: ArrayLike<number>[], digits = 5): void => {
  expect(got.length).toBe(want.length);
  got.forEach((g, j) => {
    const w = want[j] ?? [];
    expect(g.length).toBe(w.length);
    for (let e = 0; e < g.length; e++) expect(g[e]).toBeCloseTo(w[e] ?? NaN, digits);
  });
};

describe('the moving average of the weights', () => {
  it('after k training steps is the bias-corrected closed form of the recorded weights, leaks nothing, and is what validation sees', async () => {
    const model = tiny();
    const ema = new WeightEma(0.8, model);
    const recorded: Float32Array[][] = [];
    const counts: number[] = [];
    const inValidation: { seen: Float32Array[]; want: Float64Array[] } = { seen: [], want: [] };
    const learn = new Learner({
      model,
      dls: { train: loader(6, 8), valid: loader(1, 8) },
      lr: 0.05,
      opt: 'sgd',
      cbs: [
        emaCallback(ema),
        {
          name: 'watch',
          order: 6, // after the EMA's update
          afterStep: () => {
            recorded.push(trainableOf(model));
          },
          afterBatch: (l) => {
            if (l.training) counts.push(tf.memory().numTensors);
          },
          afterPredict: (l) => {
            if (l.training) return;
            inValidation.seen = trainableOf(model);
            inValidation.want = closedForm(recorded, 0.8);
          },
        },
      ],
    });
    await learn.fit(1);
    expect(recorded).toHaveLength(6);
    expect(ema.step).toBe(6);
    const avg = ema.weights();
    expectClose(host(avg), closedForm(recorded, 0.8));
    tf.dispose(avg);
    // The averaged weights differ from the last ones (SGD moved them), and validation used them.
    expect(Math.abs((recorded[5]?.[0]?.[0] ?? 0) - (recorded[4]?.[0]?.[0] ?? 0))).toBeGreaterThan(
      0,
    );
    expect(inValidation.seen).toHaveLength(4); // kernel, bias, gamma, beta
    expectClose(inValidation.seen, inValidation.want);
    // After validation the live weights are back (the checkpoint saves those).
    expectClose(trainableOf(model), recorded[5] ?? [], 7);
    expect(new Set(counts).size).toBe(1); // the same tensor count after every step
    learn.opt?.dispose();
    ema.dispose();
    model.dispose();
  });

  it('saved and loaded, continues exactly; swapped in, puts the averaged weights into the model', async () => {
    const model = tiny();
    const start = tf.memory().numTensors;
    const a = new WeightEma(0.9, model);
    const step = (scale: number): void => {
      model.trainableWeights.forEach((w) => {
        const t = tf.tidy(() => tf.mul(w.read(), scale));
        w.write(t);
        t.dispose();
      });
    };
    for (const s of [1.5, 0.5, -1]) {
      step(s);
      a.update();
    }
    const state = JSON.parse(JSON.stringify(await a.state())) as Awaited<
      ReturnType<WeightEma['state']>
    >;
    const b = new WeightEma(0.9, model);
    b.loadState(state);
    expect(b.step).toBe(3);
    for (const s of [2, 0.25]) {
      step(s);
      a.update();
      b.update();
    }
    const [wa, wb] = [a.weights(), b.weights()];
    expect(host(wb)).toEqual(host(wa)); // bit for bit
    const live = trainableOf(model);
    const before = tf.memory().numTensors;
    const saved = b.swapIn();
    expectClose(trainableOf(model), host(wa), 7);
    b.restore(saved);
    expect(trainableOf(model)).toEqual(live);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...wa, ...wb]);
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(start); // nothing left behind
    model.dispose();
  });
});

describe('a checkpoint with a moving average', () => {
  const state = {
    epoch: 1,
    optimizer: { step: 4, hypers: [], slots: [] },
    logs: [],
    batchLosses: [],
    records: {},
  };
  it('is read back with it, and a damaged one is named', () => {
    const ema = { decay: 0.9, step: 4, sums: [{ shape: [2], values: [1, 2] }] };
    expect(checkCheckpointState({ ...state, ema }, 'state.json').ema).toEqual(ema);
    expect(checkCheckpointState(state, 'state.json').ema).toBeUndefined();
    expect(() =>
      checkCheckpointState({ ...state, ema: { ...ema, sums: [{ shape: [2] }] } }, 'state.json'),
    ).toThrow('state.json: damaged (a damaged moving average)');
    expect(() => checkCheckpointState({ ...state, ema: { sums: [] } }, 'x')).toThrow(DataFileError);
  });
});
