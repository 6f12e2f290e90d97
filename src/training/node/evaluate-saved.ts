import { join } from 'node:path';
import type { FashionMnist } from '../data/fashion-mnist.ts';
import { DataFileError } from '../data/idx.ts';
import { fashionLoaders } from '../data/loaders.ts';
import type { TtaViews, ViewPredictions } from '../additions/tta-predictions.ts';
import { combineViews, predictWithViews } from '../additions/tta-predictions.ts';
import { accuracy, meanCrossEntropy } from '../additions/tta.ts';
import { SHIFTS } from '../additions/tta-views.ts';
import type { EmaState } from '../additions/ema.ts';
import { loadEmaWeights } from '../additions/ema.ts';
import type { ModelName } from '../models/names.ts';
import { isModelName } from '../models/names.ts';
import { buildModel } from '../models/zoo.ts';
import { readJson } from './read-json.ts';
import { loadWeightsInto } from './save.ts';

/** The lesson model a folder saved by `saveModel` holds, by the name in its `model.json`. */
export const savedModelName = async (dir: string): Promise<ModelName> => {
  const path = join(dir, 'model.json');
  const json = await readJson(path);
  const topology = (json as { modelTopology?: { config?: { name?: unknown } } }).modelTopology;
  const name = topology?.config?.name;
  if (typeof name !== 'string' || !isModelName(name))
    throw new DataFileError(
      `${path}: not a gradsheet model (its name is ${JSON.stringify(name ?? null)})`,
    );
  return name;
};

/** One model's saved weights: a folder, and the moving average to evaluate instead, if any. */
export interface SavedWeights {
  readonly dir: string;
  /** A checkpoint's average of the weights (`--ema`), which the run validated with. */
  readonly ema?: EmaState;
}

/** Accuracy and loss of one set of views. */
export interface ViewsFigure {
  /** Which views, each row adding to the one before: the plain images, their mirror, the shifts. */
  readonly views: 'plain' | 'flip' | 'shifts';
  readonly accuracy: number;
  readonly loss: number;
}

export interface SavedEvaluation {
  /** Validation images. */
  readonly images: number;
  /** Each model's plain accuracy. */
  readonly members: readonly number[];
  /** The models' mean logits over the plain images, then with the flip, then with the shifts added. */
  readonly rows: readonly ViewsFigure[];
  /** Which way each shifted view moved the images ('right', 'left', …). */
  readonly shifts: readonly string[];
}

/**
 * Evaluates saved weights of `model` (one per ensemble member) on the validation images,
 * plain and with the test-time `views`, averaged as `trainRun` does at the end of a run: the
 * same loader (`bs`, `subset`) gives the same figures. A missing or damaged file is a
 * `DataFileError` naming it.
 */
export const evaluateSaved = async (
  model: ModelName,
  saved: readonly SavedWeights[],
  data: FashionMnist,
  opts: { readonly bs: number; readonly subset: number | null; readonly views: TtaViews },
): Promise<SavedEvaluation> => {
  const valid = fashionLoaders(data, { bs: opts.bs, seed: 0, subset: opts.subset }).valid;
  const predicted: ViewPredictions[] = [];
  for (const { dir, ema } of saved) {
    const m = buildModel(model).model;
    try {
      await loadWeightsInto(m, dir);
      if (ema) loadEmaWeights(m, ema);
      predicted.push(await predictWithViews(m, valid, opts.views));
    } finally {
      m.dispose();
    }
  }
  const sets: [ViewsFigure['views'], ViewPredictions[]][] = [
    ['plain', predicted.map((p) => ({ ...p, flipped: null, shifted: [] }))],
  ];
  if (opts.views.flip) sets.push(['flip', predicted.map((p) => ({ ...p, shifted: [] }))]);
  if (opts.views.shifts > 0) sets.push(['shifts', predicted]);
  return {
    images: valid.size,
    members: predicted.map((p) => accuracy(p.plain)),
    shifts: SHIFTS.slice(0, opts.views.shifts).map((s) => s.name),
    rows: sets.map(([views, models]) => {
      const c = combineViews(models);
      const p = c.tta ?? c.plain;
      return { views, accuracy: accuracy(p), loss: meanCrossEntropy(p) };
    }),
  };
};
