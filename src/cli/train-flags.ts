import { availableParallelism } from 'node:os';
import type { AugmentName } from '../training/augment.ts';
import { AUGMENTS } from '../training/augment.ts';
import { isModelName, MODEL_NAMES } from '../training/models/zoo.ts';
import type { OptimizerName } from '../training/optimizer.ts';
import { OPTIMIZER_NAMES } from '../training/optimizer.ts';
import type { ScheduleName, TrainConfig } from '../training/run.ts';
import { DEFAULT_CONFIG, SCHEDULES } from '../training/run.ts';
import type { FlagSpec } from './args.ts';
import { numberFlag, UsageError } from './args.ts';

export const BACKENDS = ['wasm', 'cpu', 'webgpu'] as const;

export const modelFlag: FlagSpec = {
  name: 'model',
  value: 'NAME',
  help: `${MODEL_NAMES.join(', ')} (default ${DEFAULT_CONFIG.model})`,
};

export const trainFlags: FlagSpec[] = [
  modelFlag,
  { name: 'epochs', value: 'N', help: `epochs (default ${DEFAULT_CONFIG.epochs})` },
  { name: 'bs', value: 'N', help: `batch size (default ${DEFAULT_CONFIG.bs})` },
  {
    name: 'lr',
    value: 'X',
    help: `learning rate, the 1cycle maximum (default ${DEFAULT_CONFIG.lr})`,
  },
  {
    name: 'opt',
    value: 'NAME',
    help: `${OPTIMIZER_NAMES.join(', ')} (default ${DEFAULT_CONFIG.opt})`,
  },
  {
    name: 'sched',
    value: 'NAME',
    help: `${SCHEDULES.join(', ')} (default ${DEFAULT_CONFIG.sched})`,
  },
  { name: 'aug', value: 'LIST', help: `comma-separated: ${AUGMENTS.join(',')} (default none)` },
  {
    name: 'tta',
    value: null,
    help: 'also evaluate with test-time augmentation (mean logits with the flipped images)',
  },
  { name: 'ensemble', value: 'N', help: 'train N models and average their logits (default 1)' },
  {
    name: 'seed',
    value: 'N',
    help: `seed of init, shuffling and augmentation (default ${DEFAULT_CONFIG.seed})`,
  },
  { name: 'subset', value: 'N', help: 'use only N training images (and N/6 validation images)' },
  {
    name: 'backend',
    value: 'NAME',
    help: `${BACKENDS.join(', ')} (default wasm; webgpu runs on the GPU through Dawn and Vulkan)`,
  },
  {
    name: 'micro-batch',
    value: 'N',
    help: `largest batch through the model at once (default ${DEFAULT_CONFIG.microBatch}; on webgpu the whole batch)`,
  },
  {
    name: 'workers',
    value: 'N',
    help: `worker threads computing gradients, data parallel (default: the ${availableParallelism()} cores here; 1 = this thread; webgpu: 1)`,
  },
  {
    name: 'out',
    value: 'DIR',
    help: 'where metrics.csv, recorder.csv, run.json and the model go (default runs/<time>)',
  },
  { name: 'resume', value: null, help: 'continue the run in --out from its last checkpoint' },
  {
    name: 'data',
    value: 'DIR',
    help: 'directory of the four Fashion-MNIST .gz files (default data/)',
  },
];

const positiveInt = (v: number): string | null =>
  Number.isInteger(v) && v >= 1 ? null : 'must be a whole number ≥ 1';

/** More worker threads than cores only queue for them, and each boots its own backend first. */
const atMostCores = (v: number): string | null =>
  positiveInt(v) ??
  (v <= availableParallelism()
    ? null
    : `must be at most ${availableParallelism()}, the cores of this machine (more would only wait for a core)`);

const oneOf = <T extends string>(
  values: Map<string, string>,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T => {
  const v = values.get(name);
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v))
    throw new UsageError(`--${name} '${v}' is not one of ${allowed.join(', ')}`);
  return v as T;
};

/** A training configuration from flags; anything wrong is a `UsageError` saying what is accepted. */
export const configFrom = (values: Map<string, string>): TrainConfig => {
  const model = values.get('model') ?? DEFAULT_CONFIG.model;
  if (!isModelName(model))
    throw new UsageError(`--model '${model}' is not one of ${MODEL_NAMES.join(', ')}`);
  const aug = (values.get('aug') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const badAug = aug.find((a) => !(AUGMENTS as readonly string[]).includes(a));
  if (badAug !== undefined)
    throw new UsageError(`--aug '${badAug}' is not one of ${AUGMENTS.join(', ')}`);
  const backend = oneOf(values, 'backend', BACKENDS, 'wasm');
  const gpu = backend === 'webgpu';
  if (gpu && values.has('workers') && values.get('workers') !== '1')
    throw new UsageError('--workers: the webgpu backend trains on one GPU, with --workers 1');
  const bs = numberFlag(values, 'bs', positiveInt) ?? DEFAULT_CONFIG.bs;
  return {
    model,
    epochs: numberFlag(values, 'epochs', positiveInt) ?? DEFAULT_CONFIG.epochs,
    bs,
    lr:
      numberFlag(values, 'lr', (v) => (v > 0 ? null : 'must be greater than 0')) ??
      DEFAULT_CONFIG.lr,
    opt: oneOf<OptimizerName>(values, 'opt', OPTIMIZER_NAMES, DEFAULT_CONFIG.opt),
    sched: oneOf<ScheduleName>(values, 'sched', SCHEDULES, DEFAULT_CONFIG.sched),
    aug: aug as AugmentName[],
    tta: values.has('tta'),
    ensemble: numberFlag(values, 'ensemble', positiveInt) ?? 1,
    seed:
      numberFlag(values, 'seed', (v) => (Number.isInteger(v) ? null : 'must be a whole number')) ??
      DEFAULT_CONFIG.seed,
    subset: numberFlag(values, 'subset', positiveInt) ?? null,
    backend,
    microBatch:
      numberFlag(values, 'micro-batch', positiveInt) ?? (gpu ? bs : DEFAULT_CONFIG.microBatch),
    workers: gpu ? 1 : (numberFlag(values, 'workers', atMostCores) ?? availableParallelism()),
  };
};
