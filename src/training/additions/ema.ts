import * as tf from '@tensorflow/tfjs';
import type { Callback } from '../learner/learner.ts';

/** A serialisable EMA: steps averaged and each trainable weight's running sum (before bias correction). */
export interface EmaState {
  readonly decay: number;
  readonly step: number;
  readonly sums: readonly { shape: number[]; values: number[] }[];
}

/**
 * An exponential moving average of a model's trainable weights, bias-corrected as Adam's
 * moments are: after k steps with weights w_1…w_k, the average is
 * Σ_i (1 − d)·d^(k−i)·w_i / (1 − d^k), so it never leans on the initial weights. BatchNorm's
 * moving statistics are not averaged (they are already moving averages): the averaged model
 * uses the live model's, copied.
 */
export class WeightEma {
  step = 0;
  readonly #sums: tf.Variable[];

  constructor(
    readonly decay: number,
    readonly model: tf.LayersModel,
  ) {
    this.#sums = tf.tidy(() =>
      model.trainableWeights.map((w) => tf.variable(tf.zerosLike(w.read()), false)),
    );
  }

  /** Folds the model's current weights in (after an optimizer step). */
  update(): void {
    const d = this.decay;
    tf.tidy(() => {
      this.model.trainableWeights.forEach((w, i) => {
        this.#sums[i]?.assign(tf.add(tf.mul(this.#sums[i] ?? 0, d), tf.mul(w.read(), 1 - d)));
      });
    });
    this.step++;
  }

  /** The averaged weights, in the order of `model.trainableWeights` (the caller disposes them). */
  weights(): tf.Tensor[] {
    const scale = this.step ? 1 / (1 - Math.pow(this.decay, this.step)) : 1;
    return this.model.trainableWeights.map((w, i) =>
      this.step ? tf.mul(this.#sums[i] ?? 0, scale) : w.read().clone(),
    );
  }

  /** Puts the averaged weights into the model; returns what it replaced, for `restore`. */
  swapIn(): tf.Tensor[] {
    const live = this.model.trainableWeights.map((w) => w.read().clone());
    const avg = this.weights();
    this.model.trainableWeights.forEach((w, i) => {
      const t = avg[i];
      if (t) w.write(t);
    });
    tf.dispose(avg);
    return live;
  }

  restore(live: tf.Tensor[]): void {
    this.model.trainableWeights.forEach((w, i) => {
      const t = live[i];
      if (t) w.write(t);
    });
    tf.dispose(live);
  }

  async state(): Promise<EmaState> {
    const sums: EmaState['sums'][number][] = [];
    for (const s of this.#sums) sums.push({ shape: s.shape, values: Array.from(await s.data()) });
    return { decay: this.decay, step: this.step, sums };
  }

  loadState(s: EmaState): void {
    if (s.sums.length !== this.#sums.length)
      throw new Error(`the EMA state has ${s.sums.length} weights, the model ${this.#sums.length}`);
    s.sums.forEach(({ shape, values }, i) =>
      tf.tidy(() => this.#sums[i]?.assign(tf.tensor(values, shape))),
    );
    this.step = s.step;
  }

  dispose(): void {
    tf.dispose(this.#sums);
  }
}

/**
 * Puts a saved moving average (a checkpoint's `ema`) into `model`'s trainable weights, as
 * validation saw them during the run; BatchNorm's statistics stay the model's own.
 */
export const loadEmaWeights = (model: tf.LayersModel, state: EmaState): void => {
  const ema = new WeightEma(state.decay, model);
  try {
    ema.loadState(state);
    tf.dispose(ema.swapIn());
  } finally {
    ema.dispose();
  }
};

/**
 * Updates the EMA after every optimizer step, and validates with the averaged weights: they go
 * in before each validation epoch and out again before the checkpoint (order 10) saves the
 * live ones.
 */
export const emaCallback = (ema: WeightEma): Callback => {
  let live: tf.Tensor[] | null = null;
  const back = (): void => {
    if (live) ema.restore(live);
    live = null;
  };
  return {
    name: 'ema',
    order: 5,
    afterStep() {
      ema.update();
    },
    beforeEpoch(l) {
      if (!l.training && ema.step) live = ema.swapIn();
    },
    afterEpoch: back,
    cleanupEpoch: back,
  };
};
