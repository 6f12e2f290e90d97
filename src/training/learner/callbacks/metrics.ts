import * as tf from '@tensorflow/tfjs';
import type { Callback, Learner } from '../learner.ts';

export interface EpochLog {
  readonly epoch: number;
  readonly train: 'train' | 'eval';
  readonly loss: number;
  readonly accuracy: number;
  readonly seconds: number;
}

export interface MetricsCallback extends Callback {
  /** One entry per train and per eval epoch, in order. */
  readonly logs: EpochLog[];
  /** Every training batch's loss, for plotting. */
  readonly batchLosses: number[];
}

/** miniai's MetricsCB with accuracy: accuracy and batch-size-weighted mean loss per epoch. */
export const metricsCallback = (onLog?: (log: EpochLog) => void): MetricsCallback => {
  let correct = 0;
  let count = 0;
  let lossSum = 0;
  let t0 = 0;
  const logs: EpochLog[] = [];
  const batchLosses: number[] = [];
  return {
    name: 'metrics',
    order: 0,
    logs,
    batchLosses,
    beforeEpoch() {
      correct = 0;
      count = 0;
      lossSum = 0;
      t0 = performance.now();
    },
    async afterBatch(l) {
      const { batch, preds } = l;
      if (!batch || !preds) return;
      const n = batch.y.shape[0];
      const hits = tf.tidy(() =>
        tf.sum(tf.cast(tf.equal(tf.argMax(preds, 1), tf.cast(batch.y, 'int32')), 'int32')),
      );
      correct += (await hits.data())[0] ?? 0;
      hits.dispose();
      count += n;
      lossSum += l.lossValue * n;
      if (l.training) batchLosses.push(l.lossValue);
    },
    afterEpoch(l) {
      const log: EpochLog = {
        epoch: l.epoch,
        train: l.training ? 'train' : 'eval',
        loss: count ? lossSum / count : NaN,
        accuracy: count ? correct / count : NaN,
        seconds: (performance.now() - t0) / 1000,
      };
      logs.push(log);
      onLog?.(log);
    },
  };
};

/** The fit's metrics callback, which other callbacks read (the progress table, a UI). */
export const metricsOf = (l: Learner): MetricsCallback | undefined =>
  l.cbs.find((c): c is MetricsCallback => c.name === 'metrics');
