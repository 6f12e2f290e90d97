import * as tf from '@tensorflow/tfjs';

/** The `tf.Variable`s behind a model's trainable weights, in the model's order. */
export const trainableVariables = (model: tf.LayersModel): tf.Variable[] => {
  const registered = tf.engine().registeredVariables;
  return model.trainableWeights.map((w) => {
    const v = registered[w.name];
    if (!v) throw new Error(`no variable ${w.name} behind the model's weight`);
    return v;
  });
};
