/**
 * `npx tsx bench/parity-steps.ts [--steps 8] [--bs 1024] [--micro 256] [--workers 1] [--sync on]
 * [--seed 42] [--backend wasm] [--out runs/parity]`: the first steps of the lesson's recipe (resnet-small, AdamW, 1cycle at 1e-2
 * over 5 epochs of 59 steps) with gradsheet's trainer, dumped for bench/parity_steps.py to repeat
 * in PyTorch from the same start:
 *
 * - `init.safetensors`: the seeded initial weights under get_model3's state_dict names;
 * - `order.json`: the training images of each step (the first batches of epoch 0's shuffle);
 * - `steps.json`: per step the loss, lr, β₁, each parameter's gradient norm, and every
 *   BatchNorm's running mean and variance after the step;
 * - `grads0.safetensors`: the first step's gradients (PyTorch layouts), `final.safetensors`:
 *   the weights after the last step.
 *
 * With `--workers N` (N > 1) the gradients come from a `GradientPool` of N threads, as
 * `gradsheet train` computes them: with `--micro` at least bs/N, each worker's BatchNorm adds
 * its sums over the workers, so the whole batch is normalised as one (`--sync off`: each shard
 * alone, as before).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { hypersAt, oneCycleHypers } from '../src/optimizers/index.ts';
import { batchIndices } from '../src/training/data/batches.ts';
import { normalise, SIDE } from '../src/training/data/fashion-mnist.ts';
import { microBatchGradients } from '../src/training/learner/grad-step.ts';
import { crossEntropy } from '../src/training/learner/learner.ts';
import { initWeights } from '../src/training/models/init.ts';
import { trainableVariables } from '../src/training/models/variables.ts';
import { buildModel } from '../src/training/models/zoo.ts';
import type { BackendName } from '../src/training/run/backend.ts';
import { initNodeBackend } from '../src/training/node/node-backend.ts';
import { loadFashionMnistFrom } from '../src/training/node/node-data.ts';
import { OPTIMIZERS, RuleOptimizer } from '../src/training/learner/optimizer.ts';
import { GradientPool } from '../src/training/parallel/pool.ts';
import type { SafeTensor } from '../src/training/run/safetensors.ts';
import { encodeSafetensors } from '../src/training/run/safetensors.ts';
import { torchKeys, torchStateDict } from '../src/training/run/torch-export.ts';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const steps = Number(opt('steps', '8'));
const bs = Number(opt('bs', '1024'));
const micro = Number(opt('micro', '256'));
const workers = Number(opt('workers', '1'));
const sync = opt('sync', 'on') === 'on';
const seed = Number(opt('seed', '42'));
const out = opt('out', 'runs/parity');
const backend = await initNodeBackend(opt('backend', 'wasm') as BackendName);
const pool =
  workers > 1
    ? await GradientPool.start('resnet-small', workers, {
        backend: backend === 'cpu' ? 'cpu' : 'wasm',
        syncBatchNorm: sync,
      })
    : null;
mkdirSync(out, { recursive: true });

const data = await loadFashionMnistFrom();
const { model } = buildModel('resnet-small');
initWeights(model, seed);
writeFileSync(join(out, 'init.safetensors'), encodeSafetensors(await torchStateDict(model)));
const order = batchIndices(data.train.n, bs, { seed, epoch: 0 }).slice(0, steps);
writeFileSync(join(out, 'order.json'), JSON.stringify(order.map((b) => Array.from(b))));

const keys = torchKeys(model);
const vars = trainableVariables(model);
const varKey = new Map(
  model.trainableWeights.map((w, i) => [vars[i]?.name ?? '', keys.get(w.name) ?? w.name]),
);
const bnStats = model.weights.filter((w) => /moving_(mean|variance)$/.test(w.name));
const { rule, defaults } = OPTIMIZERS.adamw;
const optimizer = new RuleOptimizer(rule, vars, { ...defaults, lr: 1e-2 });
const base = optimizer.hypers;
const schedules = oneCycleHypers(1e-2);
const progress = { stepsPerEpoch: Math.ceil(data.train.n / bs), epochs: 5 };

/** The pool's step, its gradients keyed by variable name as `microBatchGradients`'s are. */
const poolGradients = async (p: GradientPool, x: tf.Tensor4D, y: tf.Tensor1D) => {
  const r = await p.step(model, { x, y }, micro);
  const grads: Record<string, tf.Tensor> = {};
  model.trainableWeights.forEach((w, i) => {
    const g = r.grads[w.name];
    if (g) grads[vars[i]?.name ?? w.name] = g;
  });
  return { loss: tf.scalar(r.loss), grads, preds: r.preds };
};

const rows: unknown[] = [];
for (let step = 0; step < steps; step++) {
  const idx = order[step] ?? new Uint32Array();
  optimizer.setHypers(hypersAt(base, schedules, { ...progress, step }));
  const x = tf.tensor4d(normalise(data.train, idx), [idx.length, SIDE, SIDE, 1]);
  const y = tf.tensor1d(
    Int32Array.from(idx, (i) => data.train.labels[i] ?? 0),
    'int32',
  );
  const t0 = performance.now();
  const r = pool
    ? await poolGradients(pool, x, y)
    : microBatchGradients(model, vars, x, y, crossEntropy, micro);
  const loss = (await r.loss.data())[0] ?? NaN;
  const gradNorms: Record<string, number> = {};
  for (const [name, g] of Object.entries(r.grads))
    gradNorms[varKey.get(name) ?? name] = tf.tidy(() => tf.norm(g).dataSync()[0] ?? NaN);
  if (step === 0) {
    const dict = await torchStateDict(model);
    const grads = new Map<string, SafeTensor>();
    for (const [name, g] of Object.entries(r.grads)) {
      const key = varKey.get(name) ?? name;
      const shape = dict.get(key)?.shape ?? g.shape;
      const perm = g.rank === 4 ? [3, 2, 0, 1] : g.rank === 2 ? [1, 0] : [0];
      const data = tf.tidy(() => Float32Array.from(tf.transpose(g, perm).dataSync()));
      grads.set(key, { dtype: 'F32', shape, data });
    }
    writeFileSync(join(out, 'grads0.safetensors'), encodeSafetensors(grads));
  }
  optimizer.applyGradients(r.grads);
  tf.dispose([x, y, r.loss, r.preds, ...Object.values(r.grads)]);
  const bn: Record<string, number[]> = {};
  for (const w of bnStats) bn[keys.get(w.name) ?? w.name] = Array.from(w.read().dataSync());
  const seconds = (performance.now() - t0) / 1000;
  rows.push({
    step,
    loss,
    lr: optimizer.hypers.lr,
    beta1: optimizer.hypers.beta1,
    gradNorms,
    bn,
    seconds,
  });
  console.log(`step ${step}: loss ${loss.toFixed(6)} (${seconds.toFixed(1)} s)`);
}
writeFileSync(
  join(out, 'steps.json'),
  JSON.stringify({
    engine: `gradsheet tfjs ${tf.version.tfjs} ${backend}`,
    bs,
    micro,
    workers,
    syncBatchNorm: pool !== null && sync && Math.ceil(bs / workers) <= micro,
    seed,
    steps: rows,
  }),
);
writeFileSync(join(out, 'final.safetensors'), encodeSafetensors(await torchStateDict(model)));
await pool?.close();
console.log(
  `wrote ${out}/: init.safetensors, order.json, steps.json, grads0.safetensors, final.safetensors`,
);
