import * as tf from '@tensorflow/tfjs';
import { mulberry32, toCsv } from '../../core/index.ts';
import type { TrainAdditions } from '../additions/additions.ts';
import { additionsOf } from '../additions/additions.ts';
import { additionsHook } from '../additions/additions-run.ts';
import { augmentBatch } from '../data/augment.ts';
import type { EpochLog } from '../learner/callbacks/metrics.ts';
import { metricsCallback } from '../learner/callbacks/metrics.ts';
import { progressCallback } from '../learner/callbacks/progress.ts';
import { recorderCallback } from '../learner/callbacks/recorder.ts';
import { hyperScheduler } from '../learner/callbacks/schedulers.ts';
import { batchTransformCallback } from '../learner/callbacks/batch-transform.ts';
import type { CheckpointState, RunStore } from './checkpoint.ts';
import { checkpointCallback, resumeOptimizerCallback } from './checkpoint.ts';
import type { FashionMnist } from '../data/fashion-mnist.ts';
import { shownEpoch } from './format.ts';
import { nativeConvsInUse } from './backend.ts';
import { DataFileError } from '../data/idx.ts';
import type { Callback } from '../learner/learner.ts';
import { CancelFitError, Learner } from '../learner/learner.ts';
import { fashionLoaders } from '../data/loaders.ts';
import { initWeights } from '../models/init.ts';
import { buildModel } from '../models/zoo.ts';
import type { WorkerPool } from '../parallel/worker-pool.ts';
import type { TrainConfig } from './config.ts';
import { runHypers } from '../learner/run-hypers.ts';
import type { Predictions } from '../additions/tta.ts';
import { accuracy, meanCrossEntropy } from '../additions/tta.ts';
import type { ViewPredictions } from '../additions/tta-predictions.ts';
import { combineViews, predictWithViews } from '../additions/tta-predictions.ts';
import { ttaViewsOf } from '../additions/views.ts';

export { DEFAULT_CONFIG, SCHEDULES } from './config.ts';
export type { ScheduleName, TrainConfig } from './config.ts';

export interface MemberResult {
  readonly accuracy: number;
  readonly loss: number;
  readonly ttaAccuracy: number | null;
}

export interface RunResult {
  readonly config: TrainConfig;
  /** Final validation accuracy: of the ensemble (mean logits) when there are several models; with TTA, after TTA. */
  readonly accuracy: number;
  readonly loss: number;
  readonly seconds: number;
  readonly plainAccuracy: number;
  readonly ttaAccuracy: number | null;
  readonly members: readonly MemberResult[];
  readonly stopped: boolean;
}

export interface RunIO {
  readonly store: RunStore;
  readonly write: (line: string) => void;
  readonly bar?: ((text: string) => void) | null;
  readonly resume?: boolean;
  /** Set to request a stop: the fit ends after the current batch, the last checkpoint stays. */
  readonly stop?: { requested: boolean };
  /** Gradient workers when `config.workers` > 1: Node's worker threads, the Train tab's Web Workers. */
  readonly startPool?: (config: TrainConfig) => Promise<WorkerPool>;
  /** More callbacks for ensemble member `member` (a UI's live charts); `saved`: the checkpoint resumed from. */
  readonly callbacks?: (member: number, saved: CheckpointState | null) => Callback[];
  /** The validation predictions at the end: each member's, and the final (ensemble, TTA) ones. */
  readonly onPredictions?: (final: Predictions, members: readonly Predictions[]) => void;
}

/**
 * Trains `config.ensemble` models one after the other (seeds seed, seed+1, …), checkpointing
 * each epoch into the store, then evaluates them with and without TTA and as an ensemble.
 * Writes metrics.csv, recorder.csv, run.json and the model(s) to the store.
 */
export const trainRun = async (
  config: TrainConfig & TrainAdditions,
  data: FashionMnist,
  io: RunIO,
): Promise<RunResult> => {
  const t0 = performance.now();
  const { store } = io;
  const metricRows: (string | number)[][] = [
    ['member', 'epoch', 'train', 'loss', 'accuracy', 'seconds'],
  ];
  const recorderRows: (string | number)[][] = [['member', 'step', 'lr', 'beta1', 'loss']];
  const members: MemberResult[] = [];
  const predicted: ViewPredictions[] = [];
  let stopped = false;
  const adds = additionsOf(config);
  const hypers = runHypers(config);
  const ttaViews = ttaViewsOf(config);
  for (let k = 0; k < config.ensemble; k++) {
    const seed = config.seed + k;
    const built = buildModel(config.model);
    initWeights(built.model, seed);
    const dls = fashionLoaders(data, { bs: config.bs, seed, subset: config.subset });
    const saved = io.resume ? await store.readCheckpoint(k) : null;
    if (saved && saved.optimizer.slots.length !== built.model.trainableWeights.length)
      throw new DataFileError(
        `the checkpoint's optimizer state has ${saved.optimizer.slots.length} parameters, ${config.model} has ${built.model.trainableWeights.length} (a checkpoint of another model?)`,
      );
    if (saved) await store.restoreWeights(built.model, k);
    const hook = additionsHook(adds, built.model, seed, saved);
    const metrics = metricsCallback();
    const recorder = recorderCallback();
    metrics.logs.push(...(saved?.logs ?? []));
    metrics.batchLosses.push(...(saved?.batchLosses ?? []));
    const cbs: Callback[] = [
      metrics,
      progressCallback({ write: io.write, bar: io.bar ?? null }),
      recorder,
      hyperScheduler(hypers.schedules),
      ...(io.callbacks?.(k, saved) ?? []),
      ...hook.callbacks,
    ];
    if (config.aug.length) {
      cbs.push(
        batchTransformCallback(
          (b, l) =>
            augmentBatch(
              config.aug,
              mulberry32(seed * 1_000_003 + l.epoch * 10_007 + l.iter),
              config.augPer,
            )(b),
          { onVal: false },
        ),
      );
    }
    // What was recorded before a resume, then since: checkpoints and recorder.csv keep it all.
    const allRecords = (): Record<string, number[]> => {
      const out: Record<string, number[]> = {};
      for (const [key, vals] of Object.entries(saved?.records ?? {})) out[key] = [...vals];
      for (const [key, vals] of Object.entries(recorder.records))
        out[key] = [...(out[key] ?? []), ...vals];
      return out;
    };
    cbs.push(
      checkpointCallback(
        (model, state) => store.saveCheckpoint(model, k, state),
        async () => ({
          logs: metrics.logs,
          batchLosses: metrics.batchLosses,
          records: allRecords(),
          ...(await hook.checkpoint()),
        }),
      ),
    );
    if (saved) cbs.push(resumeOptimizerCallback(saved.optimizer));
    const stop = io.stop;
    if (stop)
      cbs.push({
        name: 'stop',
        afterBatch: () => {
          if (stop.requested) throw new CancelFitError('stopped by the user');
        },
      });
    const toTrain = !saved || saved.epoch < config.epochs;
    // no workers for a run that has nothing left to train
    const pool = toTrain && config.workers > 1 && io.startPool ? await io.startPool(config) : null;
    const learn = new Learner({
      model: built.model,
      dls,
      ...hypers.options,
      ...(hook.lossFn ? { lossFn: hook.lossFn } : {}),
      ...(hook.targetsFn ? { targetsFn: hook.targetsFn } : {}),
      microBatch: config.microBatch,
      cbs,
      pool,
    });
    if (config.ensemble > 1)
      io.write(`ensemble member ${k} (${k + 1} of ${config.ensemble}, seed ${seed})`);
    if (saved)
      io.write(
        saved.epoch >= config.epochs
          ? `this run had already finished its ${config.epochs} epoch${config.epochs === 1 ? '' : 's'}: nothing more to train; its last checkpoint is evaluated again`
          : `resuming at epoch ${saved.epoch + 1} of ${config.epochs}, from the checkpoint after epoch ${saved.epoch}`,
      );
    try {
      if (toTrain) await learn.fit(config.epochs, { startEpoch: saved?.epoch ?? 0 });
    } catch (err) {
      // a failed fit (a NaN loss, a failed worker) frees what this member holds, in a page too
      learn.opt?.dispose();
      hook.dispose();
      built.model.dispose();
      throw err;
    } finally {
      await pool?.close();
    }
    learn.opt?.dispose();
    stopped = stop?.requested ?? false;
    const records = allRecords();
    for (const log of metrics.logs)
      metricRows.push([k, shownEpoch(log.epoch), log.train, log.loss, log.accuracy, log.seconds]);
    const lrs = records.lr ?? [];
    lrs.forEach((lr, i) =>
      recorderRows.push([k, i, lr, records.beta1?.[i] ?? '', metrics.batchLosses[i] ?? '']),
    );
    if (stopped) {
      hook.dispose();
      built.model.dispose();
      break;
    }
    hook.finish();
    hook.dispose();
    try {
      const v = await predictWithViews(built.model, dls.valid, ttaViews);
      predicted.push(v);
      const own = combineViews([v]);
      members.push({
        accuracy: accuracy(v.plain),
        loss: meanCrossEntropy(v.plain),
        ttaAccuracy: own.tta ? accuracy(own.tta) : null,
      });
      await store.saveModel(built.model, k);
    } finally {
      built.model.dispose();
    }
  }
  await store.writeText('metrics.csv', toCsv(metricRows));
  await store.writeText('recorder.csv', toCsv(recorderRows));
  const combined = predicted.length ? combineViews(predicted) : null;
  const plain = combined?.plain ?? null;
  const withTta = combined?.tta ?? null;
  const final = withTta ?? plain;
  const result: RunResult = {
    config,
    accuracy: final ? accuracy(final) : NaN,
    loss: final ? meanCrossEntropy(final) : NaN,
    seconds: (performance.now() - t0) / 1000,
    plainAccuracy: plain ? accuracy(plain) : NaN,
    ttaAccuracy: withTta ? accuracy(withTta) : null,
    members,
    stopped,
  };
  if (final)
    io.onPredictions?.(
      final,
      predicted.map((v) => v.plain),
    );
  await store.writeText(
    'run.json',
    JSON.stringify(
      {
        ...result,
        backend: tf.getBackend(),
        convolutions: nativeConvsInUse() ?? 'tfjs',
        date: new Date().toISOString(),
      },
      null,
      2,
    ) + '\n',
  );
  return result;
};

export type { EpochLog };
