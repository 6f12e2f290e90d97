/** One resnet-small training step at batch 128 on wasm, time per kernel (tf.profile). */
import * as tf from '@tensorflow/tfjs';
import { crossEntropy } from '../src/training/learner.ts';
import { buildModel } from '../src/training/models/zoo.ts';
import { initNodeBackend } from '../src/training/node-backend.ts';

await initNodeBackend('wasm');
const { model } = buildModel((process.argv[2] ?? 'resnet-small') as 'resnet-small');
const bs = Number(process.argv[3] ?? 128);
const x = tf.randomNormal<tf.Rank.R4>([bs, 28, 28, 1]);
const y = tf.tensor1d(Array.from({ length: bs }, (_, i) => i % 10), 'int32');
const vars = model.trainableWeights.map((w) => tf.engine().registeredVariables[w.name]).filter((v): v is tf.Variable => v !== undefined);
const step = () => {
  const { value, grads } = tf.variableGrads(() => crossEntropy(model.apply(x, { training: true }) as tf.Tensor, y), vars);
  tf.dispose([value, ...Object.values(grads)]);
};
step();
const t0 = performance.now();
step();
const wall = performance.now() - t0;
const info = await tf.profile(step);
const by = new Map<string, number>();
for (const k of info.kernels) by.set(k.name, (by.get(k.name) ?? 0) + (k.kernelTimeMs as number));
const total = [...by.values()].reduce((a, b) => a + b, 0);
console.log(`step ${wall.toFixed(0)} ms for ${bs} images = ${((bs / wall) * 1000).toFixed(1)} img/s; kernels sum ${total.toFixed(0)} ms`);
for (const [k, v] of [...by.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${k.padEnd(28)} ${v.toFixed(1).padStart(8)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%`);
