/**
 * `npx tsx bench/additions-smoke.ts [--model cnn] [--subset 2048] [--epochs 2] [--bs 128]`:
 * trains once without additions, then once with each addition (docs/results.md, "Additions"),
 * through `trainRun`, and prints each run's accuracy, loss and time. This is a smoke run, not a
 * measurement: one seed, and a subset's validation set is a sixth of its size.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { TrainAdditions } from '../src/training/additions/additions.ts';
import type { ModelName } from '../src/training/models/names.ts';
import { initNodeBackend } from '../src/training/node/node-backend.ts';
import { loadFashionMnistFrom } from '../src/training/node/node-data.ts';
import { trainRunInDir } from '../src/training/node/node-run.ts';
import { DEFAULT_CONFIG } from '../src/training/run/run.ts';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const base = {
  ...DEFAULT_CONFIG,
  model: arg('model', 'cnn') as ModelName,
  subset: Number(arg('subset', '2048')),
  epochs: Number(arg('epochs', '2')),
  bs: Number(arg('bs', '128')),
};
const runs: [string, TrainAdditions & { tta?: boolean }][] = [
  ['none', {}],
  ['labelSmoothing 0.1', { labelSmoothing: 0.1 }],
  ['ema 0.9', { ema: 0.9 }],
  ['mixup 0.4', { mixup: 0.4 }],
  ['cutmix 1', { cutmix: 1 }],
  ['tta + ttaViews 4', { tta: true, ttaViews: 4 }],
];

await initNodeBackend('wasm');
const data = await loadFashionMnistFrom();
for (const [name, add] of runs) {
  const out = mkdtempSync(join(tmpdir(), 'additions-'));
  const r = await trainRunInDir({ ...base, ...add }, data, { out, write: () => undefined });
  const tta = r.ttaAccuracy === null ? '' : ` (plain ${r.plainAccuracy.toFixed(4)})`;
  console.log(
    `${name.padEnd(20)} accuracy ${r.accuracy.toFixed(4)}${tta}  loss ${r.loss.toFixed(4)}  ${r.seconds.toFixed(1)} s  tensors left ${tf.memory().numTensors}`,
  );
}
