import * as tf from '@tensorflow/tfjs';
import type { HyperValues, Progress } from '../../optimizers/index.ts';
import { BROWSER_CPU_ROWS } from '../../core/backends.ts';
import { formatLr, shownEpoch } from '../run/format.ts';
import type { Hyper, OptimizerName } from './optimizer.ts';
import { OPTIMIZERS, RuleOptimizer } from './optimizer.ts';
import type { OptimizerEntry } from '../run/config.ts';
import type { Batch, DataLoader, DataLoaders } from '../data/data-loader.ts';
import type { ShardedGradients } from '../parallel/sharded-gradients.ts';
import type { LossFn, TargetsFn } from './grad-step.ts';
import { microBatchGradients } from './grad-step.ts';
import { trainableVariables } from '../models/variables.ts';

export type HookName =
  | 'beforeFit'
  | 'afterFit'
  | 'cleanupFit'
  | 'beforeEpoch'
  | 'afterEpoch'
  | 'cleanupEpoch'
  | 'beforeBatch'
  | 'afterPredict'
  | 'afterLoss'
  | 'afterBackward'
  | 'afterStep'
  | 'afterBatch'
  | 'cleanupBatch';

/**
 * A callback: any hooks it wants, run in ascending `order` (stable), each given the learner.
 * `setsHypers`: it sets the optimizer's hyperparameters (`hyperScheduler`); a fit has at most one.
 */
export type Callback = {
  readonly name?: string;
  readonly order?: number;
  readonly setsHypers?: boolean;
} & Partial<Record<HookName, (learn: Learner) => void | Promise<void>>>;

/** Raised by a callback to stop the whole fit, the current epoch, or the current batch. */
export class CancelFitError extends Error {
  override name = 'CancelFitError';
}
export class CancelEpochError extends Error {
  override name = 'CancelEpochError';
}
export class CancelBatchError extends Error {
  override name = 'CancelBatchError';
}

/** The loss became NaN or infinite: the fit stops before that step is applied. */
export class NonFiniteLossError extends Error {
  override name = 'NonFiniteLossError';
}

export type { LossFn };

/** Mean softmax cross-entropy over integer labels (`F.cross_entropy`). */
export const crossEntropy: LossFn = (preds, y) =>
  tf.tidy(() =>
    tf.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(tf.oneHot(y, preds.shape[1] ?? 10), preds),
  );

export interface FitOptions {
  readonly train?: boolean;
  readonly valid?: boolean;
  /** Callbacks for this fit only. */
  readonly cbs?: readonly Callback[];
  /** Resume at this epoch (0-based): earlier epochs are skipped, schedules continue from there. */
  readonly startEpoch?: number;
}

export interface LearnerOptions {
  readonly model: tf.LayersModel;
  readonly dls: DataLoaders;
  readonly lossFn?: LossFn;
  /** The training targets the pool's workers train against, for a `lossFn` that has them. */
  readonly targetsFn?: TargetsFn;
  readonly lr?: number;
  readonly cbs?: readonly Callback[];
  readonly opt?: OptimizerName;
  /** The user's own rule, used instead of `opt` (see `ruleOf`). */
  readonly rule?: OptimizerEntry;
  /** Overrides of the optimizer's default hyperparameters (lr is `lr`). */
  readonly hyper?: Partial<Hyper>;
  /**
   * Largest batch pushed through the model at once; bigger batches are split and their
   * gradients accumulated (the wasm heap cannot hold a ResNet at batch 1024). BatchNorm then
   * normalises per micro-batch, except across a pool's workers when each shard fits in one
   * (see `GradientPool`). Default: the browser's rows (`BROWSER_CPU_ROWS`), which every
   * backend takes.
   */
  readonly microBatch?: number;
  /** Worker threads that compute the gradients (data parallel, every core); none: this thread. */
  readonly pool?: ShardedGradients | null;
}

const stage = { fit: CancelFitError, epoch: CancelEpochError, batch: CancelBatchError } as const;

/**
 * miniai's Learner, typed: `fit` runs fit → epoch → batch stages, each with before/after/cleanup
 * hooks; a `Cancel<Stage>Error` raised by a callback ends that stage, and cleanup always runs.
 * A fresh optimizer is made for every fit. The mutable state below is what callbacks read.
 */
export class Learner {
  readonly model: tf.LayersModel;
  readonly dls: DataLoaders;
  readonly lossFn: LossFn;
  readonly targetsFn: TargetsFn | null;
  readonly optName: OptimizerName;
  readonly customRule: OptimizerEntry | null;
  readonly hyper: Partial<Hyper>;
  readonly microBatch: number;
  readonly pool: ShardedGradients | null;
  readonly lr: number;
  cbs: Callback[];

  opt: RuleOptimizer | null = null;
  nEpochs = 0;
  epoch = 0;
  iter = 0;
  training = false;
  dl: DataLoader | null = null;
  batch: Batch | null = null;
  preds: tf.Tensor | null = null;
  loss: tf.Scalar | null = null;
  /** The current batch's loss as a number (read once per batch). */
  lossValue = NaN;
  /** Training steps taken in this fit. */
  trainStep = 0;

  constructor(o: LearnerOptions) {
    this.model = o.model;
    this.dls = o.dls;
    this.lossFn = o.lossFn ?? crossEntropy;
    this.targetsFn = o.targetsFn ?? null;
    this.lr = o.lr ?? 0.1;
    this.cbs = [...(o.cbs ?? [])];
    this.optName = o.opt ?? 'sgd';
    this.customRule = o.rule ?? null;
    this.hyper = o.hyper ?? {};
    this.microBatch = o.microBatch ?? BROWSER_CPU_ROWS;
    this.pool = o.pool ?? null;
  }

  /**
   * The hyperparameters' values where no schedule says otherwise: the rule's defaults, the
   * user's overrides, and lr. Each fit's optimizer starts from them; a `hyperScheduler` callback
   * is the one way to change them over a fit.
   */
  get baseHypers(): HyperValues {
    const { defaults } = this.customRule ?? OPTIMIZERS[this.optName];
    return { ...defaults, ...this.hyper, lr: this.lr };
  }

  /** Where the fit is: the training step about to be taken, out of the fit's (schedules read it). */
  get progress(): Progress {
    return { step: this.trainStep, stepsPerEpoch: this.dls.train.length, epochs: this.nEpochs };
  }

  /** The model's trainable variables. */
  get params(): tf.Variable[] {
    return trainableVariables(this.model);
  }

  async runHooks(name: HookName): Promise<void> {
    const sorted = [...this.cbs].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
    for (const cb of sorted) await cb[name]?.(this);
  }

  async #withHooks(name: keyof typeof stage, body: () => Promise<void>): Promise<void> {
    const cap = (name[0] ?? '').toUpperCase() + name.slice(1);
    try {
      await this.runHooks(`before${cap}` as HookName);
      await body();
      await this.runHooks(`after${cap}` as HookName);
    } catch (err) {
      if (!(err instanceof stage[name])) throw err;
    } finally {
      await this.runHooks(`cleanup${cap}` as HookName);
    }
  }

  async fit(
    nEpochs = 1,
    { train = true, valid = true, cbs = [], startEpoch = 0 }: FitOptions = {},
  ): Promise<void> {
    const added = [...cbs];
    const setters = [...this.cbs, ...added].filter((c) => c.setsHypers).map((c) => c.name);
    if (setters.length > 1)
      throw new Error(`one fit, one hyperparameter schedule: got ${setters.join(', ')}`);
    this.cbs.push(...added);
    const { rule } = this.customRule ?? OPTIMIZERS[this.optName];
    this.opt?.dispose();
    this.opt = new RuleOptimizer(rule, this.params, this.baseHypers);
    this.nEpochs = nEpochs;
    this.trainStep = startEpoch * this.dls.train.length;
    try {
      await this.#withHooks('fit', async () => {
        for (this.epoch = startEpoch; this.epoch < nEpochs; this.epoch++) {
          if (train) await this.#oneEpoch(true);
          if (valid) await this.#oneEpoch(false);
        }
      });
    } finally {
      this.cbs = this.cbs.filter((c) => !added.includes(c));
    }
  }

  async #oneEpoch(training: boolean): Promise<void> {
    this.training = training;
    this.dl = training ? this.dls.train : this.dls.valid;
    const dl = this.dl;
    await this.#withHooks('epoch', async () => {
      this.iter = 0;
      for (const batch of dl.batches(this.epoch)) {
        this.batch = batch;
        try {
          await this.#withHooks('batch', () => this.#oneBatch());
        } finally {
          tf.dispose(
            [this.batch.x, this.batch.y, batch.x, batch.y, this.preds, this.loss].filter(
              (t) => t !== null,
            ),
          );
          this.batch = null;
          this.preds = null;
          this.loss = null;
        }
        this.iter++;
        if (training) this.trainStep++;
      }
    });
  }

  async #oneBatch(): Promise<void> {
    const batch = this.batch;
    if (!batch) return;
    if (!this.training) {
      this.preds = tf.tidy(() => this.model.apply(batch.x, { training: false }) as tf.Tensor);
      await this.runHooks('afterPredict');
      this.loss = this.lossFn(this.preds, batch.y);
      this.lossValue = (await this.loss.data())[0] ?? NaN;
      if (!Number.isFinite(this.lossValue)) {
        throw new NonFiniteLossError(
          `the validation loss became ${this.lossValue} at epoch ${shownEpoch(this.epoch)} (lr ${formatLr(this.opt?.hypers.lr ?? this.lr)}): ` +
            'the weights or the BatchNorm statistics overflowed, though the training loss was still finite. Try a lower learning rate.',
        );
      }
      await this.runHooks('afterLoss');
      return;
    }
    const grads = this.pool
      ? await this.#poolGradients(this.pool, batch)
      : this.#forwardBackward(batch);
    try {
      await this.runHooks('afterPredict');
      this.lossValue = (await this.loss?.data())?.[0] ?? NaN;
      if (!Number.isFinite(this.lossValue)) {
        throw new NonFiniteLossError(
          `the loss became ${this.lossValue} at epoch ${shownEpoch(this.epoch)}, batch ${this.iter + 1} (lr ${formatLr(this.opt?.hypers.lr ?? this.lr)}); ` +
            'training stopped before that step. Try a lower learning rate.',
        );
      }
      await this.runHooks('afterLoss');
      await this.runHooks('afterBackward');
      this.opt?.applyGradients(grads);
      await this.runHooks('afterStep');
    } finally {
      tf.dispose(Object.values(grads));
    }
  }

  async #poolGradients(pool: ShardedGradients, batch: Batch): Promise<Record<string, tf.Tensor>> {
    const targets = this.targetsFn?.(batch.y, this.microBatch) ?? null;
    let r: Awaited<ReturnType<ShardedGradients['step']>>;
    try {
      r = await pool.step(this.model, batch, this.microBatch, targets);
    } finally {
      targets?.dispose();
    }
    this.preds = r.preds;
    this.loss = tf.scalar(r.loss);
    const byVar: Record<string, tf.Tensor> = {};
    const names = this.model.trainableWeights.map((w) => w.name);
    this.params.forEach((v, i) => {
      const g = r.grads[names[i] ?? ''];
      if (g) byVar[v.name] = g;
    });
    return byVar;
  }

  /** Forward and backward over micro-batches; sets `preds` and `loss`, returns summed gradients. */
  #forwardBackward(batch: Batch): Record<string, tf.Tensor> {
    const r = microBatchGradients(
      this.model,
      this.params,
      batch.x,
      batch.y,
      this.lossFn,
      this.microBatch,
    );
    this.preds = r.preds;
    this.loss = r.loss;
    return r.grads;
  }
}
