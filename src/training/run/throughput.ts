import * as tf from '@tensorflow/tfjs';
import { crossEntropy } from '../learner/learner.ts';
import { initWeights } from '../models/init.ts';
import type { ModelName } from '../models/zoo.ts';
import { trainableVariables } from '../models/variables.ts';
import { buildModel } from '../models/zoo.ts';
import { OPTIMIZERS, RuleOptimizer } from '../learner/optimizer.ts';
import type { ShardedGradients } from '../parallel/sharded-gradients.ts';

/** One training step (forward, backward, AdamW) and one inference pass of a model on a fixed random batch. */
export interface StepBench {
  readonly model: tf.LayersModel;
  readonly vars: readonly tf.Variable[];
  readonly opt: RuleOptimizer;
  readonly x: tf.Tensor4D;
  readonly y: tf.Tensor1D;
  readonly step: () => Promise<void>;
  readonly infer: () => Promise<void>;
  readonly dispose: () => void;
}

/** What the benchmarks time on every backend: the same step in Node, workers and the browser. */
export const stepBench = (name: ModelName, bs: number): StepBench => {
  const { model } = buildModel(name);
  initWeights(model, 42);
  const vars = trainableVariables(model);
  const opt = new RuleOptimizer(OPTIMIZERS.adamw.rule, vars, {
    lr: 1e-3,
    ...OPTIMIZERS.adamw.defaults,
  });
  const x = tf.randomNormal<tf.Rank.R4>([bs, 28, 28, 1]);
  const y = tf.tensor1d(
    Array.from({ length: bs }, (_, i) => i % 10),
    'int32',
  );
  return {
    model,
    vars,
    opt,
    x,
    y,
    step: async () => {
      const { value, grads } = tf.variableGrads(
        () => crossEntropy(model.apply(x, { training: true }) as tf.Tensor, y),
        vars,
      );
      opt.applyGradients(grads);
      await value.data();
      tf.dispose([value, ...Object.values(grads)]);
    },
    infer: async () => {
      const p = model.apply(x, { training: false }) as tf.Tensor;
      await p.data();
      p.dispose();
    },
    dispose: () => {
      tf.dispose([x, y]);
      opt.dispose();
      model.dispose();
    },
  };
};

/**
 * Training images per second of `name` at batch `bs` over `steps` steps, after one warm-up step
 * (shader compilation, caches); the model is freed afterwards.
 */
export const trainingRate = async (name: ModelName, bs: number, steps: number): Promise<number> => {
  const bench = stepBench(name, bs);
  try {
    await bench.step();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await bench.step();
    return (bs * steps * 1000) / (performance.now() - t0);
  } finally {
    bench.dispose();
  }
};

/**
 * `trainingRate` with the gradients from a pool of workers (each shard in one piece, so
 * BatchNorm sees the whole batch); the pool is closed afterwards.
 */
export const pooledRate = async (
  name: ModelName,
  bs: number,
  steps: number,
  pool: ShardedGradients & { readonly size: number; close(): Promise<void> },
): Promise<number> => {
  const bench = stepBench(name, bs);
  const { model, vars, opt } = bench;
  const step = async (): Promise<void> => {
    const r = await pool.step(model, { x: bench.x, y: bench.y }, Math.ceil(bs / pool.size));
    const byVar = Object.fromEntries(
      model.trainableWeights.map((w, i) => [vars[i]?.name ?? '', r.grads[w.name] ?? tf.zeros([1])]),
    );
    opt.applyGradients(byVar);
    tf.dispose([r.preds, ...Object.values(r.grads), ...Object.values(byVar)]);
  };
  try {
    await step();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await step();
    return (bs * steps * 1000) / (performance.now() - t0);
  } finally {
    bench.dispose();
    await pool.close();
  }
};
