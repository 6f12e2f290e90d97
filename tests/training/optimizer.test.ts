import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyRule, numberOps, parseRule } from '../../src/optimizers/index.ts';
import { mulberry32 } from '../../src/core/index.ts';
import { initNodeBackend } from '../../src/training/node/node-backend.ts';
import {
  OPTIMIZER_NAMES,
  OPTIMIZERS,
  RuleOptimizer,
} from '../../src/training/learner/optimizer.ts';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

const grads = (n: number, steps: number, seed: number): number[][] => {
  const rng = mulberry32(seed);
  return Array.from({ length: steps }, () => Array.from({ length: n }, () => rng.normal()));
};

describe.each(OPTIMIZER_NAMES)('%s: tensor interpreter = number interpreter', (name) => {
  it('over 200 steps on 50 parameters (float32 vs float64, rel 1e-4)', () => {
    const { rule, defaults } = OPTIMIZERS[name];
    const hyper = { lr: 0.01, ...defaults };
    const p0 = Array.from({ length: 50 }, (_, i) => Math.sin(i));
    const gs = grads(50, 200, 7);
    const v = tf.variable(tf.tensor1d(p0), true, 'p');
    const opt = new RuleOptimizer(rule, [v], hyper);
    const nums = p0.map((p) => ({ p, s: null as Record<string, number> | null }));
    gs.forEach((g, t) => {
      const gt = tf.tensor1d(g);
      opt.applyGradients({ p: gt });
      gt.dispose();
      nums.forEach((n, i) => {
        const input = { param: n.p, grad: g[i] ?? 0, hyper, step: t + 1 };
        const state = n.s ?? rule.initState(numberOps, input);
        const out = applyRule(numberOps, rule, input, state);
        n.p = out.param;
        n.s = out.state;
      });
    });
    const got = v.dataSync();
    nums.forEach((n, i) => {
      expect(Math.abs((got[i] ?? NaN) - n.p)).toBeLessThan(1e-4 * Math.max(1, Math.abs(n.p)));
    });
    opt.dispose();
    v.dispose();
  });
});

describe('against tf.train where the formulations are the same', () => {
  const compare = (
    make: () => tf.Optimizer,
    ours: RuleOptimizer,
    v: tf.Variable,
    w: tf.Variable,
  ) => {
    const gs = grads(20, 50, 3);
    for (const g of gs) {
      const a = tf.tensor1d(g);
      const b = tf.tensor1d(g);
      ours.applyGradients({ [v.name]: a });
      make().applyGradients({ [w.name]: b });
      tf.dispose([a, b]);
    }
    const x = v.dataSync();
    const y = w.dataSync();
    x.forEach((val, i) => {
      expect(Math.abs(val - (y[i] ?? NaN))).toBeLessThan(1e-5 * Math.max(1, Math.abs(val)));
    });
  };
  it('sgd = tf.train.sgd', () => {
    const v = tf.variable(tf.ones([20]));
    const w = tf.variable(tf.ones([20]));
    const ref = tf.train.sgd(0.1);
    compare(() => ref, new RuleOptimizer(OPTIMIZERS.sgd.rule, [v], { lr: 0.1 }), v, w);
  });
  it('adam (bias-corrected, ε outside) = tf.train.adam', async () => {
    const { adam } = await import('../../src/optimizers/index.ts');
    const v = tf.variable(tf.ones([20]));
    const w = tf.variable(tf.ones([20]));
    const ref = tf.train.adam(0.01, 0.9, 0.999, 1e-8);
    compare(
      () => ref,
      new RuleOptimizer(adam({ biasCorrection: true, eps: 'outside' }), [v], {
        lr: 0.01,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
      }),
      v,
      w,
    );
  });
  it('rmsprop (ε inside, current average) = tf.train.rmsprop', async () => {
    const { rmsprop } = await import('../../src/optimizers/index.ts');
    const v = tf.variable(tf.ones([20]));
    const w = tf.variable(tf.ones([20]));
    const ref = tf.train.rmsprop(0.01, 0.9, 0, 1e-6);
    compare(
      () => ref,
      new RuleOptimizer(rmsprop({ denominator: 'current', eps: 'inside' }), [v], {
        lr: 0.01,
        beta2: 0.9,
        eps: 1e-6,
      }),
      v,
      w,
    );
  });
});

it('leaks no tensors per step, and hyperparameters can change between steps', async () => {
  const v = tf.variable(tf.ones([10]), true, 'q');
  const opt = new RuleOptimizer(OPTIMIZERS.adamw.rule, [v], {
    lr: 0.01,
    ...OPTIMIZERS.adamw.defaults,
  });
  const g = tf.ones([10]);
  opt.applyGradients({ q: g });
  const n = tf.memory().numTensors;
  for (let i = 0; i < 5; i++) {
    opt.setHypers({ ...opt.hypers, lr: 0.01 * (i + 1) });
    opt.applyGradients({ q: g });
  }
  expect(tf.memory().numTensors).toBe(n);
  const saved = await opt.state();
  expect(saved.step).toBe(6);
  expect(saved.hypers[0]?.lr).toBeCloseTo(0.05, 12);
  const other = new RuleOptimizer(OPTIMIZERS.adamw.rule, [v], {
    lr: 1,
    ...OPTIMIZERS.adamw.defaults,
  });
  other.loadState(saved);
  // the step and slots come back; the hyperparameters are the fit's to set, not the checkpoint's
  expect(await other.state()).toEqual({
    ...saved,
    hypers: [{ lr: 1, ...OPTIMIZERS.adamw.defaults }],
  });
  // loading and disposing a state leaves no tensor behind (a Resume in the Train tab's worker)
  const before = tf.memory().numTensors;
  const third = new RuleOptimizer(OPTIMIZERS.adamw.rule, [v], {
    lr: 1,
    ...OPTIMIZERS.adamw.defaults,
  });
  third.loadState(saved);
  third.dispose();
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([g, v]);
  opt.dispose();
  other.dispose();
});

it('a formula of scalars alone (a slot set to the step, a constant param) fills every element', async () => {
  const parsed = parseRule('name steprec\nstate s = 0\ns = step\nparam = param - lr*s*grad\n');
  if (!parsed.rule) throw new Error(JSON.stringify(parsed.errors));
  const v = tf.variable(
    tf.tensor2d([
      [1, 2],
      [3, 4],
    ]),
    true,
    'w',
  );
  const opt = new RuleOptimizer(parsed.rule.rule, [v], { lr: 0.1 });
  const g = tf.ones([2, 2]);
  opt.applyGradients({ w: g });
  opt.applyGradients({ w: g });
  // after steps 1 and 2: param − 0.1·1·1 − 0.1·2·1
  expectClose(Array.from(v.dataSync()), [0.7, 1.7, 2.7, 3.7]);
  const state = await opt.state();
  expect(state.slots[0]?.s).toEqual({ shape: [2, 2], values: [2, 2, 2, 2] });
  const zero = parseRule('param = 0\n').rule;
  if (!zero) throw new Error('param = 0 does not parse');
  const z = new RuleOptimizer(zero.rule, [v], { lr: 0.1 });
  z.applyGradients({ w: g });
  expect(Array.from(v.dataSync())).toEqual([0, 0, 0, 0]);
  tf.dispose([g, v]);
  opt.dispose();
  z.dispose();
});

const expectClose = (got: number[], want: number[]): void => {
  expect(got).toHaveLength(want.length);
  got.forEach((x, i) => {
    expect(x).toBeCloseTo(want[i] ?? NaN, 5);
  });
};
