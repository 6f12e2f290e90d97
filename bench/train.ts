/**
 * `npm run bench:train [-- --profile] [-- --bs N] [-- --backend webgpu]`: how fast the lesson's
 * resnet-small trains in Node on tfjs wasm (one thread, then a worker per core), against PyTorch
 * on the same machine, measured in the same run. Writes bench/train.json. PyTorch (Debian's
 * python3-torch) is optional: without it the ratio is omitted. With `--backend webgpu` it times
 * tfjs on Dawn against PyTorch on CUDA (when torch sees a GPU) and writes bench/train-webgpu.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend } from '../src/training/node-backend.ts';
import { stepBench } from '../src/training/throughput.ts';
import { GradientPool } from '../src/training/parallel/pool.ts';
import { availableParallelism } from 'node:os';
import { imagesPerSecond, timeCalls } from './rate.ts';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const bs = flag('bs', 256);
const rounds = flag('rounds', 5);
const profile = args.includes('--profile');
const gpu = args.includes('webgpu');

const rate = async (f: () => Promise<void>): Promise<number> =>
  imagesPerSecond(bs, await timeCalls(f, rounds));

const backend = await initNodeBackend(gpu ? 'webgpu' : 'wasm');
const bench = stepBench('resnet-small', bs);
const { model, vars, opt, x, y, step, infer } = bench;
const tfjs = {
  engine: `tfjs ${tf.version.tfjs} ${backend}`,
  threads: 1,
  bs,
  train_img_s: await rate(step),
  infer_img_s: await rate(infer),
};

const cores = gpu ? 1 : availableParallelism();
const parallel = async () => {
  const pool = await GradientPool.start('resnet-small', cores);
  const parallelStep = async (): Promise<void> => {
    const r = await pool.step(model, { x, y }, 256);
    const byVar = Object.fromEntries(
      model.trainableWeights.map((w, i) => [vars[i]?.name ?? '', r.grads[w.name] ?? tf.zeros([1])]),
    );
    opt.applyGradients(byVar);
    tf.dispose([r.preds, ...Object.values(r.grads)]);
  };
  const tfjsParallel = {
    engine: `tfjs ${tf.version.tfjs} ${backend}, ${cores} workers`,
    threads: cores,
    bs,
    train_img_s: await rate(parallelStep),
    infer_img_s: tfjs.infer_img_s,
  };
  await pool.close();
  return tfjsParallel;
};
const tfjsParallel = gpu ? tfjs : await parallel();

let kernels: Record<string, number> | null = null;
if (profile) {
  const info = await tf.profile(step);
  const by = new Map<string, number>();
  for (const k of info.kernels)
    if (!k.name.endsWith('__op'))
      by.set(k.name, (by.get(k.name) ?? 0) + (k.kernelTimeMs as number));
  kernels = Object.fromEntries(
    [...by.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v * 10) / 10]),
  );
}

// Debian's python3-torch lives in the system Python; $PYTHON overrides.
const python =
  process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const torchRuns = [2, 1].map((threads) => {
  const r = spawnSync(
    python,
    ['bench/torch_baseline.py', String(threads), String(bs), String(rounds), gpu ? 'cuda' : 'cpu'],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) return null;
  return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? 'null') as typeof tfjs | null;
});
const torch2 = torchRuns[0] ?? null;

console.log(`resnet-small, batch ${bs}, median of ${rounds} rounds, same machine, same run\n`);
console.log('engine                              threads   train img/s   infer img/s');
for (const r of [tfjs, ...(gpu ? [] : [tfjsParallel]), ...torchRuns]) {
  if (r)
    console.log(
      `${r.engine.padEnd(36)}${String(r.threads).padStart(7)}${r.train_img_s.toFixed(1).padStart(14)}${r.infer_img_s.toFixed(1).padStart(14)}`,
    );
}
const ratio = torch2
  ? {
      train: tfjsParallel.train_img_s / torch2.train_img_s,
      infer: tfjs.infer_img_s / torch2.infer_img_s,
    }
  : null;
console.log(
  ratio
    ? `\ntfjs (${cores} workers) / PyTorch (2 threads): train ${ratio.train.toFixed(3)}x; inference (1 thread) ${ratio.infer.toFixed(3)}x (goal ≥ 0.3x train)`
    : gpu
      ? '\nno PyTorch with CUDA here: no ratio'
      : '\nPyTorch not found (apt-get install python3-torch): no ratio',
);
if (kernels) {
  const total = Object.values(kernels).reduce((a, b) => a + b, 0);
  console.log('\nprofile of one training step (kernel, ms, share):');
  for (const [k, v] of Object.entries(kernels).slice(0, 15))
    console.log(
      `  ${k.padEnd(26)}${v.toFixed(1).padStart(9)}${((100 * v) / total).toFixed(1).padStart(7)}%`,
    );
}
const outFile = gpu ? 'bench/train-webgpu.json' : 'bench/train.json';
writeFileSync(
  outFile,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      tfjs,
      tfjsParallel,
      torch: torchRuns,
      ratio,
      profile: kernels,
    },
    null,
    2,
  ) + '\n',
);
console.log(`\nwrote ${outFile}`);
