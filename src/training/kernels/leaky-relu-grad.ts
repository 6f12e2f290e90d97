import * as tf from '@tensorflow/tfjs';

/**
 * The gradient of `LeakyRelu` (GeneralRelu's core) as `dy · step(x, α)`: two element-wise
 * passes where tfjs-core's `where(x > 0, dy, dy·α)` makes three (Greater, Multiply, Select).
 */
export const leakyReluGrad: tf.GradConfig = {
  kernelName: 'LeakyRelu',
  inputsToSave: ['x'],
  gradFunc: (dyIn, saved, attrs) => {
    const dy = Array.isArray(dyIn) ? dyIn[0] : dyIn;
    const [x] = saved;
    if (!dy || !x) throw new Error('LeakyRelu gradient: missing saved tensors');
    const { alpha } = attrs as { alpha: number };
    return { x: () => tf.mul(dy, tf.step(x, alpha)) };
  },
};
