import * as tf from '@tensorflow/tfjs';

/**
 * A model's weights that are not trained (BatchNorm's moving statistics), in `model.weights`
 * order: what a gradient worker sends back besides its gradients, and where the pool writes them.
 */
export const statisticsWeights = (model: tf.LayersModel): tf.LayerVariable[] =>
  model.weights.filter((w) => !w.trainable);

/** The `tf.Variable`s behind a model's trainable weights, in the model's order. */
export const trainableVariables = (model: tf.LayersModel): tf.Variable[] => {
  const registered = tf.engine().registeredVariables;
  return model.trainableWeights.map((w) => {
    const v = registered[w.name];
    if (!v) throw new Error(`no variable ${w.name} behind the model's weight`);
    return v;
  });
};
