import type { TrainAdditions } from '../additions/additions.ts';
import type { AugmentName, AugmentPer } from '../data/augment-names.ts';
import type { ModelName } from '../models/names.ts';
import { parseRule } from '../../optimizers/index.ts';
import type { UpdateRule } from '../../optimizers/index.ts';
import type { Hyper, OptimizerName } from '../learner/optimizer-table.ts';
import { OPTIMIZERS } from '../learner/optimizer-table.ts';
import { BROWSER_CPU_ROWS } from '../../core/backends.ts';

/** An update rule with its hyperparameters' defaults; `name` for a rule typed as text. */
export interface OptimizerEntry {
  readonly rule: UpdateRule;
  readonly defaults: Hyper;
  readonly name?: string | undefined;
}

export const SCHEDULES = ['onecycle', 'cosine', 'constant'] as const;
export type ScheduleName = (typeof SCHEDULES)[number];

export interface TrainConfig extends TrainAdditions {
  readonly model: ModelName;
  readonly epochs: number;
  readonly bs: number;
  readonly lr: number;
  readonly opt: OptimizerName;
  /** Overrides of the optimizer's default hyperparameters (beta1, beta2, eps, weightDecay). */
  readonly hyper?: Partial<Hyper>;
  readonly sched: ScheduleName;
  readonly aug: readonly AugmentName[];
  /** Whether `aug` draws its random choices once per batch (the lesson's; absent: so) or per image. */
  readonly augPer?: AugmentPer;
  readonly tta: boolean;
  readonly ensemble: number;
  readonly seed: number;
  readonly subset: number | null;
  readonly backend: string;
  readonly microBatch: number;
  /** Worker threads computing gradients (data parallel); 1 trains on this thread. */
  readonly workers: number;
  /** The user's own update rule as text (docs/rules.md), used instead of `opt`; null or absent: `opt`. */
  readonly rule?: string | null;
  /** Schedules as formulas of training progress (docs/rules.md), used instead of `sched`. */
  readonly schedFormula?: string | null;
  /** When a schedule formula steps: every batch (default) or every epoch. */
  readonly schedEvery?: 'batch' | 'epoch';
}

/** What updates the weights: the user's rule text, parsed, or the named optimizer (no tfjs here). */
export const ruleOf = (c: Pick<TrainConfig, 'opt' | 'rule'>): OptimizerEntry => {
  if (!c.rule) return OPTIMIZERS[c.opt];
  const { rule, errors } = parseRule(c.rule);
  if (!rule) throw new Error(`the rule does not parse: ${errors[0]?.message ?? ''}`);
  return { rule: rule.rule, defaults: { ...rule.defaults }, name: rule.name };
};

/** The lesson's recipe (docs/lesson.md §5.1): resnet-small, AdamW, 1cycle at 1e-2, batch 1024, 5 epochs. */
export const DEFAULT_CONFIG: TrainConfig = {
  model: 'resnet-small',
  epochs: 5,
  bs: 1024,
  lr: 1e-2,
  opt: 'adamw',
  sched: 'onecycle',
  aug: [],
  tta: false,
  ensemble: 1,
  seed: 42,
  subset: null,
  backend: 'wasm',
  microBatch: BROWSER_CPU_ROWS,
  workers: 1,
};
