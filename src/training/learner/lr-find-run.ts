import type { LrFindOptions, LrFindResult } from './callbacks/lr-finder.ts';
import { lrFind } from './callbacks/lr-finder.ts';
import type { TrainConfig } from '../run/config.ts';
import type { FashionMnist } from '../data/fashion-mnist.ts';
import { Learner } from './learner.ts';
import { fashionLoaders } from '../data/loaders.ts';
import { initWeights } from '../models/init.ts';
import { buildModel } from '../models/zoo.ts';
import { runHypers } from './run-hypers.ts';

/**
 * lr_find for a run's settings: a fresh model with the run's seeded init, loaders, optimizer and
 * hyperparameters; the model is freed afterwards (lrFind frees its optimizer). The CLI and the Train tab use it.
 */
export const lrFindFor = async (
  config: TrainConfig,
  data: FashionMnist,
  options: LrFindOptions = {},
): Promise<LrFindResult> => {
  const built = buildModel(config.model);
  initWeights(built.model, config.seed);
  const learn = new Learner({
    model: built.model,
    dls: fashionLoaders(data, { bs: config.bs, seed: config.seed, subset: config.subset }),
    ...runHypers(config).options,
    microBatch: config.microBatch,
  });
  try {
    return await lrFind(learn, options);
  } finally {
    built.model.dispose();
  }
};
