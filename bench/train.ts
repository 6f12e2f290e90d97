/**
 * `npm run bench:train [-- --profile] [-- --bs N] [-- --no-sync] [-- --backend webgpu]`: how fast the lesson's
 * resnet-small trains in Node on tfjs wasm (one thread, then a worker per core), against PyTorch
 * on the same machine, measured in the same run. Writes bench/train.json. PyTorch (Debian's
 * python3-torch) is optional: without it the ratio is omitted. With `--backend webgpu` it times
 * tfjs on Dawn against PyTorch on CUDA (when torch sees a GPU) and writes bench/train-webgpu.json.
 *
 * PyTorch's own figure moves 2-3x between runs on a shared machine, so the ratio is measured in
 * `--interleave N` rounds (default 5): tfjs with a worker per core, then PyTorch on as many
 * threads, alternately, each round a median of `--rounds` steps. It reports the median ratio and
 * its range over the rounds.
 *
 * Where Node's native convolutions are built (native/conv.cc), each round also times a pool on
 * wasm's own kernels (`GRADSHEET_NATIVE=0` in its workers), so the gain shows within one run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend } from '../src/training/node/node-backend.ts';
import { nativeConvsInUse } from '../src/training/run/backend.ts';
import { stepBench } from '../src/training/run/throughput.ts';
import { GradientPool } from '../src/training/parallel/pool.ts';
import { microBatchFor, NODE_CPU_ROWS } from '../src/core/backends.ts';
import { availableParallelism } from 'node:os';
import { imagesPerSecond, median, timeCalls } from './rate.ts';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const bs = flag('bs', 256);
const rounds = flag('rounds', 5);
const interleave = flag('interleave', 5);
const profile = args.includes('--profile');
const gpu = args.includes('webgpu');
/** `--no-sync`: each worker normalises its own shard (the cost of the BatchNorm exchange). */
const syncBatchNorm = !args.includes('--no-sync');

const fmt = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '–');
const rate = async (f: () => Promise<void>): Promise<number> =>
  imagesPerSecond(bs, await timeCalls(f, rounds));

const backend = await initNodeBackend(gpu ? 'webgpu' : 'wasm');
const bench = stepBench('resnet-small', bs);
const { model, vars, opt, x, y, step, infer } = bench;
const native = nativeConvsInUse();
const engineName = `tfjs ${tf.version.tfjs} ${backend}${native ? ` + ${native} convs` : ''}`;
const tfjs = {
  engine: engineName,
  threads: 1,
  bs,
  train_img_s: await rate(step),
  infer_img_s: await rate(infer),
};

// Debian's python3-torch lives in the system Python; $PYTHON overrides.
const python =
  process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

/** PyTorch in a process of its own that times `rounds` steps each time it is asked. */
const torchServer = async (threads: number) => {
  const child = spawn(
    python,
    [
      'bench/torch_baseline.py',
      String(threads),
      String(bs),
      String(rounds),
      gpu ? 'cuda' : 'cpu',
      'serve',
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown> | null> => {
    const line = await lines.next();
    return line.done ? null : (JSON.parse(line.value) as Record<string, unknown>);
  };
  const hello = await next();
  if (!hello) return null;
  return {
    engine: String(hello.engine),
    async trainRate(): Promise<number> {
      child.stdin.write('go\n');
      const r = await next();
      return typeof r?.train_img_s === 'number' ? r.train_img_s : NaN;
    },
    close: () => child.stdin.end(),
  };
};

const cores = gpu ? 1 : availableParallelism();
interface Round {
  readonly tfjs: number;
  /** tfjs on wasm's own kernels (no native convolutions), where those were in use. */
  readonly tfjsWasm: number | null;
  readonly torch: number;
  readonly ratio: number;
}

/** A pool whose workers start their backend with `env` added to this process's environment. */
const poolWith = async (env: Record<string, string>): Promise<GradientPool> => {
  const saved = { ...process.env };
  Object.assign(process.env, env); // workers copy the environment when they start
  try {
    return await GradientPool.start('resnet-small', cores, { syncBatchNorm });
  } finally {
    for (const k of Object.keys(env)) if (!(k in saved)) Reflect.deleteProperty(process.env, k);
    Object.assign(process.env, saved);
  }
};
/** One step through a pool, as `gradsheet train` takes it: each worker's share in one piece. */
const poolStep = (pool: GradientPool) => async (): Promise<void> => {
  const r = await pool.step(model, { x, y }, microBatchFor('wasm', bs, cores, NODE_CPU_ROWS));
  const byVar = Object.fromEntries(
    model.trainableWeights.map((w, i) => [vars[i]?.name ?? '', r.grads[w.name] ?? tf.zeros([1])]),
  );
  opt.applyGradients(byVar);
  tf.dispose([r.preds, ...Object.values(r.grads)]);
};
/** tfjs (a worker per core, or the GPU) and PyTorch (as many threads), alternately. */
const interleaved = async (): Promise<{
  engine: string;
  torchEngine: string | null;
  rounds: Round[];
}> => {
  const pool = gpu ? null : await poolWith({});
  const wasmPool = gpu || !native ? null : await poolWith({ GRADSHEET_NATIVE: '0' });
  const tfjsStep = pool ? poolStep(pool) : step;
  const torch = await torchServer(cores);
  const out: Round[] = [];
  for (let i = 0; i < interleave; i++) {
    const t = await rate(tfjsStep);
    const w = wasmPool ? await rate(poolStep(wasmPool)) : null;
    const p = torch ? await torch.trainRate() : NaN;
    out.push({ tfjs: t, tfjsWasm: w, torch: p, ratio: t / p });
    console.log(
      `round ${i + 1}/${interleave}: tfjs ${t.toFixed(1)} img/s${w === null ? '' : ` (wasm kernels only ${w.toFixed(1)})`}, PyTorch ${p.toFixed(1)} img/s, ratio ${(t / p).toFixed(3)}x`,
    );
  }
  torch?.close();
  await pool?.close();
  await wasmPool?.close();
  return {
    engine: pool ? `${engineName}, ${cores} workers` : tfjs.engine,
    torchEngine: torch?.engine ?? null,
    rounds: out,
  };
};
const mixed = await interleaved();
const tfjsParallel = {
  engine: mixed.engine,
  threads: cores,
  bs,
  train_img_s: median(mixed.rounds.map((r) => r.tfjs)),
  infer_img_s: tfjs.infer_img_s,
};
const wasmRates = mixed.rounds.flatMap((r) => (r.tfjsWasm === null ? [] : [r.tfjsWasm]));
const tfjsWasmParallel = wasmRates.length
  ? {
      engine: `tfjs ${tf.version.tfjs} ${backend} kernels only, ${cores} workers`,
      threads: cores,
      bs,
      train_img_s: median(wasmRates),
      infer_img_s: NaN,
    }
  : null;

let kernels: Record<string, number> | null = null;
if (profile) {
  const info = await tf.profile(step);
  const by = new Map<string, number>();
  for (const k of info.kernels)
    // op wrappers and custom-gradient scopes (BatchNorm's) time kernels that have rows of their own
    if (!k.name.endsWith('__op') && k.name !== 'unnamed scope')
      by.set(k.name, (by.get(k.name) ?? 0) + (k.kernelTimeMs as number));
  kernels = Object.fromEntries(
    [...by.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v * 10) / 10]),
  );
}

const torchRuns = [1].map((threads) => {
  const r = spawnSync(
    python,
    ['bench/torch_baseline.py', String(threads), String(bs), String(rounds), gpu ? 'cuda' : 'cpu'],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) return null;
  return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? 'null') as typeof tfjs | null;
});
const ratios = mixed.rounds.map((r) => r.ratio).filter(Number.isFinite);
const torchN = ratios.length
  ? {
      engine: mixed.torchEngine ?? 'pytorch',
      threads: cores,
      bs,
      train_img_s: median(mixed.rounds.map((r) => r.torch)),
      infer_img_s: NaN,
    }
  : null;

console.log(`resnet-small, batch ${bs}, median of ${rounds} rounds, same machine, same run\n`);
console.log(`${'engine'.padEnd(52)}threads   train img/s   infer img/s`);
for (const r of [tfjs, ...(gpu ? [] : [tfjsParallel, tfjsWasmParallel]), torchN, ...torchRuns]) {
  if (r)
    console.log(
      `${r.engine.padEnd(52)}${String(r.threads).padStart(7)}${fmt(r.train_img_s).padStart(14)}${fmt(r.infer_img_s).padStart(14)}`,
    );
}
const ratio = ratios.length
  ? {
      train: median(ratios),
      train_min: Math.min(...ratios),
      train_max: Math.max(...ratios),
      rounds: ratios.length,
      infer: torchRuns[0] ? tfjs.infer_img_s / torchRuns[0].infer_img_s : null,
    }
  : null;
console.log(
  ratio
    ? `\ntfjs (${cores} workers) / PyTorch (${cores} threads), training: median ${ratio.train.toFixed(3)}x over ${ratio.rounds} interleaved rounds (range ${ratio.train_min.toFixed(3)}–${ratio.train_max.toFixed(3)}x; goal ≥ 0.7x); inference, one thread each: ${ratio.infer?.toFixed(3) ?? '–'}x`
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
      tfjsWasmParallel,
      torch: [torchN, ...torchRuns],
      rounds: mixed.rounds,
      ratio,
      profile: kernels,
    },
    null,
    2,
  ) + '\n',
);
console.log(`\nwrote ${outFile}`);
