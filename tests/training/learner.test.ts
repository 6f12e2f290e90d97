import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { oneCycle } from '../../src/optimizers/index.ts';
import { lrFind } from '../../src/training/learner/callbacks/lr-finder.ts';
import { metricsCallback } from '../../src/training/learner/callbacks/metrics.ts';
import { recorderCallback } from '../../src/training/learner/callbacks/recorder.ts';
import { oneCycleScheduler } from '../../src/training/learner/callbacks/schedulers.ts';
import type { Batch, DataLoader } from '../../src/training/data/data-loader.ts';
import type { Callback, HookName } from '../../src/training/learner/learner.ts';
import {
  CancelBatchError,
  CancelEpochError,
  CancelFitError,
  Learner,
  NonFiniteLossError,
} from '../../src/training/learner/learner.ts';
import { fashionLoaders } from '../../src/training/data/loaders.ts';
import { initWeights } from '../../src/training/models/init.ts';
import { buildModel } from '../../src/training/models/zoo.ts';
import { initNodeBackend } from '../../src/training/node/node-backend.ts';
import { loadFashionMnistFrom } from '../../src/training/node/node-data.ts';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

/** A tiny model and random data: enough to watch the loop. */
const tiny = () => {
  const input = tf.input({ shape: [28, 28, 1] });
  const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 10 }).apply(flat) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
};
const randomLoader = (batches: number, bs: number): DataLoader => ({
  length: batches,
  size: batches * bs,
  *batches(): Iterable<Batch> {
    for (let i = 0; i < batches; i++) {
      yield {
        x: tf.randomNormal<tf.Rank.R4>([bs, 28, 28, 1]),
        y: tf.tensor1d(
          Array.from({ length: bs }, (_, k) => (k + i) % 10),
          'int32',
        ),
      };
    }
  },
});
const recorder = (log: string[], name = 'r', order = 0): Callback => {
  const hooks: HookName[] = [
    'beforeFit',
    'afterFit',
    'cleanupFit',
    'beforeEpoch',
    'afterEpoch',
    'cleanupEpoch',
    'beforeBatch',
    'afterPredict',
    'afterLoss',
    'afterBackward',
    'afterStep',
    'afterBatch',
    'cleanupBatch',
  ];
  return {
    name,
    order,
    ...Object.fromEntries(
      hooks.map((h) => [
        h,
        (l: Learner) => {
          log.push(
            `${name}:${h}${h.includes('Batch') || (h.startsWith('after') && h !== 'afterFit' && h !== 'afterEpoch') ? (l.training ? '+' : '-') : ''}`,
          );
        },
      ]),
    ),
  };
};

describe('Learner', () => {
  it('runs the hooks in miniai’s order', async () => {
    const log: string[] = [];
    const learn = new Learner({
      model: tiny(),
      dls: { train: randomLoader(1, 4), valid: randomLoader(1, 4) },
      cbs: [recorder(log)],
    });
    await learn.fit(1);
    expect(log).toEqual([
      'r:beforeFit',
      'r:beforeEpoch',
      'r:beforeBatch+',
      'r:afterPredict+',
      'r:afterLoss+',
      'r:afterBackward+',
      'r:afterStep+',
      'r:afterBatch+',
      'r:cleanupBatch+',
      'r:afterEpoch',
      'r:cleanupEpoch',
      'r:beforeEpoch',
      'r:beforeBatch-',
      'r:afterPredict-',
      'r:afterLoss-',
      'r:afterBatch-',
      'r:cleanupBatch-',
      'r:afterEpoch',
      'r:cleanupEpoch',
      'r:afterFit',
      'r:cleanupFit',
    ]);
  });

  it('respects order, and a cancel ends its stage while cleanup still runs', async () => {
    const log: string[] = [];
    const cancelBatch: Callback = {
      order: -1,
      afterPredict: (l) => {
        if (l.training && l.iter === 0) throw new CancelBatchError();
      },
    };
    const cancelEpoch: Callback = {
      afterBatch: (l) => {
        if (!l.training) throw new CancelEpochError();
      },
    };
    const cancelFit: Callback = {
      afterEpoch: (l) => {
        if (l.epoch === 1 && l.training) throw new CancelFitError(); // a cancelled epoch has no afterEpoch
      },
    };
    const learn = new Learner({
      model: tiny(),
      dls: { train: randomLoader(2, 4), valid: randomLoader(3, 4) },
      cbs: [recorder(log, 'b', 2), recorder(log, 'a', 1), cancelBatch, cancelEpoch, cancelFit],
    });
    const before = learn.model.getWeights().map((w) => w.dataSync().slice());
    await learn.fit(5);
    expect(log.slice(0, 2)).toEqual(['a:beforeFit', 'b:beforeFit']);
    // batch 0 of each train epoch: cancelled after predict, no step, but cleanupBatch ran
    // batch 0 of each train epoch: the order −1 callback cancels in afterPredict before a and b
    // see it; no step is taken, but cleanupBatch runs
    expect(log.slice(4, 10)).toEqual([
      'a:beforeBatch+',
      'b:beforeBatch+',
      'a:cleanupBatch+',
      'b:cleanupBatch+',
      'a:beforeBatch+',
      'b:beforeBatch+',
    ]);
    // validation: one batch then cancelled; the fit stopped after epoch 2's training (of 5)
    expect(log.filter((e) => e === 'a:cleanupBatch-')).toHaveLength(1);
    expect(log.filter((e) => e === 'a:afterBatch-')).toHaveLength(0); // cancelled (order 0) before a (order 1)
    expect(log.filter((e) => e === 'a:afterStep+')).toHaveLength(2);
    expect(log.at(-1)).toBe('b:cleanupFit');
    expect(log).not.toContain('a:afterFit');
    expect(learn.model.getWeights().map((w) => w.dataSync().slice())).not.toEqual(before);
  });

  it('stops on a NaN loss with a clear message, keeping the weights of the last good step', async () => {
    let calls = 0;
    const learn = new Learner({
      model: tiny(),
      dls: { train: randomLoader(5, 4), valid: randomLoader(1, 4) },
      lr: 0.01,
      lossFn: (p, y) =>
        tf.tidy(() => {
          calls++;
          const l = tf.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(tf.oneHot(y, 10), p);
          return calls === 3 ? tf.mul(l, NaN) : l;
        }),
    });
    let kept: Float32Array[] = [];
    learn.cbs.push({
      afterStep: (l) => {
        kept = l.model.getWeights().map((w) => Float32Array.from(w.dataSync()));
      },
    });
    await expect(learn.fit(1)).rejects.toThrow(NonFiniteLossError);
    await expect(
      new Learner({
        model: tiny(),
        dls: { train: randomLoader(1, 2), valid: randomLoader(1, 2) },
        lossFn: (p, y) =>
          tf.mul<tf.Scalar>(tf.losses.softmaxCrossEntropy(tf.oneHot(y, 10), p), Infinity),
      }).fit(1),
    ).rejects.toThrow(/the loss became Infinity at epoch 1, batch 1 .*Try a lower learning rate/);
    expect(learn.model.getWeights().map((w) => w.dataSync())).toEqual(kept);
  });

  it('leaks no tensors across epochs, with micro-batches too', async () => {
    const counts: number[] = [];
    const learn = new Learner({
      model: tiny(),
      dls: { train: randomLoader(3, 10), valid: randomLoader(2, 10) },
      opt: 'adamw',
      lr: 1e-3,
      microBatch: 4,
      cbs: [
        metricsCallback(),
        {
          afterEpoch: (l) => {
            if (!l.training) counts.push(tf.memory().numTensors);
          },
        },
      ],
    });
    await learn.fit(4);
    expect(new Set(counts.slice(1)).size).toBe(1);
  });

  it('micro-batches give the same step as one big batch (no batch norm in this model)', async () => {
    const x = tf.randomNormal<tf.Rank.R4>([12, 28, 28, 1]);
    const y = tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1], 'int32');
    const loaderOf = (): DataLoader => ({
      length: 1,
      size: 12,
      *batches() {
        yield { x: x.clone(), y: y.clone() };
      },
    });
    const results: Float32Array[][] = [];
    for (const micro of [12, 5]) {
      const model = tiny();
      initWeights(model, 1);
      await new Learner({
        model,
        dls: { train: loaderOf(), valid: loaderOf() },
        lr: 0.1,
        microBatch: micro,
      }).fit(1, { valid: false });
      results.push(model.getWeights().map((w) => Float32Array.from(w.dataSync())));
    }
    results[0]?.forEach((w, i) => {
      w.forEach((v, j) => {
        expect(Math.abs(v - (results[1]?.[i]?.[j] ?? NaN))).toBeLessThan(1e-5);
      });
    });
  });

  it('1cycle sets lr and β₁ per batch as OneCycleLR, and the recorder sees them', async () => {
    const rec = recorderCallback();
    const learn = new Learner({
      model: tiny(),
      dls: { train: randomLoader(10, 4), valid: randomLoader(1, 4) },
      opt: 'adam',
      cbs: [oneCycleScheduler(0.01), rec],
    });
    await learn.fit(2);
    const s = oneCycle({ maxLr: 0.01, totalSteps: 20 });
    expect(rec.records.lr).toEqual(Array.from({ length: 20 }, (_, i) => s.lr(i)));
    expect(rec.records.beta1).toEqual(Array.from({ length: 20 }, (_, i) => s.beta1(i)));
  });

  it('lr_find runs its own lr alone and leaves the learner’s hyperparameters as they were', async () => {
    const rec = recorderCallback();
    const schedule = oneCycleScheduler(0.01);
    const learn = new Learner({
      model: tiny(),
      dls: { train: randomLoader(10, 4), valid: randomLoader(1, 4) },
      opt: 'adam',
      lr: 0.003,
      cbs: [schedule, rec],
    });
    const found = await lrFind(learn, { startLr: 1e-4, maxEpochs: 1, maxMult: Infinity });
    // during the search: the finder's lr, every other hyperparameter at the learner's own value
    expect(found.lrs).toHaveLength(10);
    expect(rec.records.lr).toEqual(found.lrs);
    expect(found.lrs[0]).toBe(1e-4);
    expect(rec.records.beta1).toEqual(Array.from({ length: 10 }, () => 0.9));
    // afterwards: the search's optimizer is gone, the learner's schedule is back in place
    expect(learn.opt).toBeNull();
    expect(learn.cbs).toEqual([schedule, rec]);
    await learn.fit(2);
    const s = oneCycle({ maxLr: 0.01, totalSteps: 20 });
    expect(rec.records.lr).toEqual(Array.from({ length: 20 }, (_, i) => s.lr(i)));
    expect(rec.records.beta1).toEqual(Array.from({ length: 20 }, (_, i) => s.beta1(i)));
    expect(learn.opt?.step).toBe(20);
  });

  it('refuses a fit with two hyperparameter schedules', async () => {
    const learn = new Learner({
      model: tiny(),
      dls: { train: randomLoader(1, 4), valid: randomLoader(1, 4) },
      cbs: [oneCycleScheduler(0.01)],
    });
    await expect(learn.fit(1, { cbs: [oneCycleScheduler(0.02)] })).rejects.toThrow(
      'one fit, one hyperparameter schedule: got hyperScheduler, hyperScheduler',
    );
  });
});

describe('on real Fashion-MNIST (a subset, on wasm)', () => {
  it('a short run of the lesson’s cnn learns: well above chance', async () => {
    const data = await loadFashionMnistFrom();
    const built = buildModel('cnn');
    initWeights(built.model, 42);
    const metrics = metricsCallback();
    const learn = new Learner({
      model: built.model,
      dls: fashionLoaders(data, { bs: 64, seed: 42, subset: 3000 }),
      opt: 'adamw',
      lr: 1e-2,
      cbs: [metrics, oneCycleScheduler(1e-2)],
    });
    await learn.fit(2);
    const last = metrics.logs.at(-1);
    expect(last?.train).toBe('eval');
    expect(last?.accuracy).toBeGreaterThan(0.6);
  }, 120_000);

  it('lr_find records a rising lr, suggests one, and restores weights and batch-norm statistics', async () => {
    const data = await loadFashionMnistFrom();
    const built = buildModel('cnn');
    initWeights(built.model, 1);
    const learn = new Learner({
      model: built.model,
      dls: fashionLoaders(data, { bs: 64, seed: 1, subset: 6400 }),
      opt: 'momentum',
    });
    const before = built.model.getWeights().map((w) => w.dataSync().slice());
    const r = await lrFind(learn, { startLr: 1e-5 });
    expect(r.lrs[0]).toBe(1e-5);
    expect(r.lrs[1]).toBeCloseTo(1.3e-5, 12);
    expect(r.losses.length).toBeGreaterThan(10);
    expect(r.suggestion).toBeGreaterThan(1e-5);
    expect(built.model.getWeights().map((w) => w.dataSync().slice())).toEqual(before);
  }, 120_000);
});
