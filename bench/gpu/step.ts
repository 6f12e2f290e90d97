import * as tf from '@tensorflow/tfjs';
import { initNodeBackend } from '../../src/training/node/node-backend.ts';
import { adapterInfo } from '../../src/training/node/node-webgpu.ts';
import { stepBench } from '../../src/training/run/throughput.ts';
import { imagesPerSecond, median, timeCalls } from '../rate.ts';

/** tfjs on Dawn: `bench:train --backend webgpu`'s resnet-small training and inference step. */
export const webgpuStep = async (bs: number, rounds: number, log: (line: string) => void) => {
  const backend = await initNodeBackend('webgpu');
  const bench = stepBench('resnet-small', bs);
  const t0 = performance.now();
  await bench.step(); // the first step compiles the shaders
  const firstStepMs = performance.now() - t0;
  log(`first training step (compiles the shaders): ${firstStepMs.toFixed(0)} ms`);
  const each =
    (what: string) =>
    (ms: number, timed: boolean): void => {
      log(`${what} step, bs ${bs}${timed ? '' : ' (warm-up)'}: ${ms.toFixed(1)} ms`);
    };
  const train = await timeCalls(bench.step, rounds, 1, each('training'));
  const infer = await timeCalls(bench.infer, rounds, 1, each('inference'));
  bench.dispose();
  return {
    engine: `tfjs ${tf.version.tfjs} ${backend}`,
    adapter: adapterInfo,
    bs,
    rounds,
    first_step_ms: Math.round(firstStepMs),
    train_step_ms: Math.round(median(train) * 10) / 10,
    train_img_s: imagesPerSecond(bs, train),
    infer_img_s: imagesPerSecond(bs, infer),
  };
};
