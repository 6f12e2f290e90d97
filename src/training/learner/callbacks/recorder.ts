import type { Callback } from '../learner.ts';

export interface RecorderCallback extends Callback {
  /** Per training batch: the value of each recorded hyperparameter used for that batch. */
  readonly records: Record<string, number[]>;
}

/** miniai's RecorderCB for hyperparameters: lr and β₁/momentum by default. */
export const recorderCallback = (keys: readonly string[] = ['lr', 'beta1']): RecorderCallback => {
  const records: Record<string, number[]> = {};
  return {
    name: 'recorder',
    records,
    beforeFit() {
      for (const k of keys) records[k] = [];
    },
    afterBatch(l) {
      if (!l.training) return;
      const hyper = l.opt?.hypers ?? {};
      for (const k of keys) {
        const v = hyper[k];
        if (v !== undefined) records[k]?.push(v);
      }
    },
  };
};
