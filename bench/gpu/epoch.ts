import { configFrom } from '../../src/cli/train-flags.ts';
import type { Callback } from '../../src/training/learner/learner.ts';
import { CancelFitError } from '../../src/training/learner/learner.ts';
import { initNodeBackend } from '../../src/training/node/node-backend.ts';
import { loadFashionMnistFrom } from '../../src/training/node/node-data.ts';
import { trainRunInDir } from '../../src/training/node/node-run.ts';
import { adapterInfo } from '../../src/training/node/node-webgpu.ts';

export interface EpochOptions {
  readonly bs: number | null;
  readonly subset: number | null;
  readonly data: string;
  readonly out: string;
  readonly log: (line: string) => void;
}

/** Ends a fit after the first epoch's validation pass, timing its training pass. */
export const firstEpochOnly = (): Callback & { trainSeconds: number; images: number } => {
  let t0 = 0;
  const cb = {
    name: 'first-epoch-only',
    order: 100, // after the metrics and the checkpoint
    trainSeconds: NaN,
    images: 0,
    beforeEpoch: (l: { training: boolean }) => {
      if (l.training) t0 = performance.now();
    },
    afterEpoch: (l: { training: boolean; dls: { train: { size: number } } }) => {
      if (l.training) {
        cb.trainSeconds = (performance.now() - t0) / 1000;
        cb.images = l.dls.train.size;
      } else throw new CancelFitError('one epoch of the recipe done');
    },
  };
  return cb;
};

/**
 * The first of the 5 epochs of the lesson's recipe (resnet-small, AdamW, 1cycle at 1e-2,
 * batch 1024) on webgpu: the schedule is the 5-epoch one, stopped after epoch 1.
 */
export const webgpuFirstEpoch = async (o: EpochOptions) => {
  const flags = new Map([['backend', 'webgpu']]);
  if (o.bs !== null) flags.set('bs', String(o.bs));
  if (o.subset !== null) flags.set('subset', String(o.subset));
  const config = configFrom(flags);
  const backend = await initNodeBackend('webgpu');
  const data = await loadFashionMnistFrom(o.data);
  const one = firstEpochOnly();
  const r = await trainRunInDir(config, data, {
    out: o.out,
    write: o.log,
    callbacks: () => [one],
  });
  return {
    backend,
    adapter: adapterInfo,
    recipe: `${config.model} ${config.opt} ${config.sched} lr ${config.lr} bs ${config.bs}, epoch 1 of ${config.epochs}`,
    images: one.images,
    train_seconds: Math.round(one.trainSeconds * 10) / 10,
    train_img_s: one.images / one.trainSeconds,
    valid_accuracy: r.accuracy,
    valid_loss: r.loss,
    total_seconds: Math.round(r.seconds * 10) / 10,
  };
};
