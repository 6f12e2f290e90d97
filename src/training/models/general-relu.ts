import * as tf from '@tensorflow/tfjs';

export interface GeneralReluConfig {
  readonly leak?: number;
  readonly sub?: number;
  readonly name?: string;
}

/** miniai's `GeneralRelu`: `leaky_relu(x, leak) − sub` (leak 0.1, sub 0.4 in the lessons). */
export class GeneralRelu extends tf.layers.Layer {
  static readonly className = 'GeneralRelu';
  readonly leak: number;
  readonly sub: number;

  constructor(config: GeneralReluConfig = {}) {
    super(config.name === undefined ? {} : { name: config.name });
    this.leak = config.leak ?? 0.1;
    this.sub = config.sub ?? 0.4;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!x) throw new Error('GeneralRelu needs an input');
    return tf.tidy(() => tf.sub(tf.leakyRelu(x, this.leak), this.sub));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), leak: this.leak, sub: this.sub };
  }
}
tf.serialization.registerClass(GeneralRelu);
