import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '../../core/index.ts';

/**
 * The lesson's initialisation, seeded: Kaiming-normal (a = 0.1, fan-in) on conv kernels
 * (`init_weights`, docs/lesson.md §2); PyTorch's defaults elsewhere, U(±1/√fan_in) for Linear weights and
 * all biases, BatchNorm γ = 1, β = 0.
 */
export const initWeights = (model: tf.LayersModel, seed: number): void => {
  const rng = mulberry32(seed);
  const gain = Math.sqrt(2 / (1 + 0.1 ** 2));
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls !== 'Conv2D' && cls !== 'Dense') continue;
    const weights = layer.getWeights();
    const [kernel, bias] = weights;
    if (!kernel) continue;
    const fanIn = kernel.shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const bound = 1 / Math.sqrt(fanIn);
    const k =
      cls === 'Conv2D'
        ? Float32Array.from({ length: kernel.size }, () => (rng.normal() * gain) / Math.sqrt(fanIn))
        : Float32Array.from({ length: kernel.size }, () => (rng.next() * 2 - 1) * bound);
    const next = [tf.tensor(k, kernel.shape)];
    if (bias)
      next.push(
        tf.tensor(
          Float32Array.from({ length: bias.size }, () => (rng.next() * 2 - 1) * bound),
          bias.shape,
        ),
      );
    layer.setWeights(next);
    tf.dispose(next);
  }
};
