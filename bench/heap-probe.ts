/**
 * `npx tsx bench/heap-probe.ts [ROWS 256] [MODEL resnet-small]`: the wasm heap after one training
 * forward and backward of ROWS random images through MODEL on this thread, and the process's
 * resident memory. wasm's heap only grows, so this is the peak; it cannot pass 4 GiB (the step
 * aborts). The figures behind the micro-batch limit in `src/core/backends.ts`.
 */
import * as tf from '@tensorflow/tfjs';
import { microBatchGradients } from '../src/training/learner/grad-step.ts';
import { crossEntropy } from '../src/training/learner/learner.ts';
import type { ModelName } from '../src/training/models/names.ts';
import { MODEL_NAMES } from '../src/training/models/names.ts';
import { trainableVariables } from '../src/training/models/variables.ts';
import { buildModel } from '../src/training/models/zoo.ts';
import { initNodeBackend } from '../src/training/node/node-backend.ts';

const rows = Number(process.argv[2] ?? '256');
const name = process.argv[3] ?? 'resnet-small';
if (!(MODEL_NAMES as readonly string[]).includes(name) || !Number.isInteger(rows) || rows < 1) {
  console.error(`usage: heap-probe.ts [ROWS ≥ 1] [MODEL: ${MODEL_NAMES.join(', ')}]`);
  process.exit(2);
}
await initNodeBackend('wasm');
const { model } = buildModel(name as ModelName);
const vars = trainableVariables(model);
const wasm = (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm;
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const x = tf.randomNormal<tf.Rank.R4>([rows, 28, 28, 1]);
const y = tf.randomUniformInt([rows], 0, 10);
const r = microBatchGradients(model, vars, x, y as tf.Tensor1D, crossEntropy, rows);
console.log(
  `${name}, ${rows} rows: wasm heap ${mib(wasm.HEAPU8.buffer.byteLength)}, resident ${mib(process.memoryUsage().rss)}`,
);
tf.dispose([x, y, r.loss, r.preds, ...Object.values(r.grads)]);
