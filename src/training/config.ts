import type { AugmentName } from './augment-names.ts';
import type { ModelName } from './models/names.ts';
import type { Hyper, OptimizerName } from './optimizer-table.ts';

export const SCHEDULES = ['onecycle', 'cosine', 'constant'] as const;
export type ScheduleName = (typeof SCHEDULES)[number];

export interface TrainConfig {
  readonly model: ModelName;
  readonly epochs: number;
  readonly bs: number;
  readonly lr: number;
  readonly opt: OptimizerName;
  /** Overrides of the optimizer's default hyperparameters (beta1, beta2, eps, weightDecay). */
  readonly hyper?: Partial<Hyper>;
  readonly sched: ScheduleName;
  readonly aug: readonly AugmentName[];
  readonly tta: boolean;
  readonly ensemble: number;
  readonly seed: number;
  readonly subset: number | null;
  readonly backend: string;
  readonly microBatch: number;
  /** Worker threads computing gradients (data parallel); 1 trains on this thread. */
  readonly workers: number;
}

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
  microBatch: 256,
  workers: 1,
};
