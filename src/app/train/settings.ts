import { InputError } from '../../sheet/errors.ts';
import { checkHyper, parseNumber } from '../../sheet/validate.ts';
import type { AugmentName } from '../../training/augment-names.ts';
import { AUGMENTS } from '../../training/augment-names.ts';
import { TRAIN_IMAGES } from '../../training/fashion-mnist.ts';
import type { ModelName } from '../../training/models/names.ts';
import { isModelName } from '../../training/models/names.ts';
import type { OptimizerName } from '../../training/optimizer-table.ts';
import { OPTIMIZER_NAMES, OPTIMIZERS } from '../../training/optimizer-table.ts';
import type { ScheduleName, TrainConfig } from '../../training/config.ts';
import { SCHEDULES } from '../../training/config.ts';
import { microBatchFor } from './backend-traits.ts';
import type { BackendSetting } from './protocol.ts';
import { BACKEND_SETTINGS } from './protocol.ts';

/** The Train tab's form as typed: numbers stay text until they are checked. */
export interface Settings {
  readonly model: string;
  readonly opt: string;
  readonly lr: string;
  /** The optimizer's own hyperparameters (beta1, beta2, eps, weightDecay), as typed. */
  readonly hyper: Readonly<Record<string, string>>;
  readonly sched: string;
  readonly epochs: string;
  readonly bs: string;
  readonly aug: readonly AugmentName[];
  readonly tta: boolean;
  readonly ensemble: string;
  readonly seed: string;
  /** Training images to use; empty for all 60,000. */
  readonly subset: string;
  readonly backend: string;
}

/** Each field's problem, keyed by field name (`hyper.beta1` for a hyperparameter). */
export type FieldErrors = Record<string, string>;

/** The optimizer's hyperparameters with their notebook defaults, as text for the cells. */
export const hyperDefaults = (opt: OptimizerName): Record<string, string> =>
  Object.fromEntries(Object.entries(OPTIMIZERS[opt].defaults).map(([k, v]) => [k, String(v)]));

export const DEFAULT_SETTINGS: Settings = {
  model: 'resnet-small',
  opt: 'adamw',
  lr: '0.01',
  hyper: hyperDefaults('adamw'),
  sched: 'onecycle',
  epochs: '5',
  bs: '1024',
  aug: [],
  tta: false,
  ensemble: '1',
  seed: '42',
  subset: '',
  backend: 'auto',
};

/** The lesson's runs (docs/lesson.md §5.1, §5.6), on the wide ResNet of notebook 14. */
export const PRESETS: readonly { readonly label: string; readonly settings: Partial<Settings> }[] =
  [
    {
      label: '5 epochs, 1cycle',
      settings: { model: 'resnet-small', epochs: '5', lr: '0.01', aug: [], tta: false },
    },
    {
      label: '20 epochs + crop/flip + TTA',
      settings: {
        model: 'resnet-wide',
        epochs: '20',
        lr: '0.01',
        aug: ['crop', 'flip'],
        tta: true,
      },
    },
    {
      label: '50 epochs + random erase',
      settings: {
        model: 'resnet-wide',
        epochs: '50',
        lr: '0.02',
        aug: ['crop', 'flip', 'erase'],
        tta: false,
      },
    },
  ];

const wholeAtLeast = (text: string, what: string, min: number): number => {
  const v = parseNumber(text, what);
  if (!Number.isInteger(v) || v < min)
    throw new InputError(`${what} must be a whole number ≥ ${String(min)}, got ${text.trim()}`);
  return v;
};

const checkOwnHyper = (key: string, text: string): number => {
  const v = parseNumber(text, key);
  if (key === 'beta1' || key === 'beta2') return checkHyper(key, v);
  if (key === 'eps' && !(v > 0)) throw new InputError(`eps must be greater than 0, got ${v}`);
  if (key === 'weightDecay' && !(v >= 0))
    throw new InputError(`weight decay must be 0 or more, got ${v}`);
  return v;
};

/**
 * Checks every field and builds the run's configuration, or names each field that is wrong.
 * The batch goes through the model whole on a GPU, in micro-batches of 256 on the CPU backends.
 */
export const parseSettings = (
  s: Settings,
): { config: TrainConfig | null; backend: BackendSetting; errors: FieldErrors } => {
  const errors: FieldErrors = {};
  const field = <T>(name: string, parse: () => T, fallback: T): T => {
    try {
      return parse();
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      errors[name] = err.message;
      return fallback;
    }
  };
  const oneOf = <T extends string>(
    name: string,
    value: string,
    allowed: readonly T[],
    fallback: T,
  ): T =>
    field(
      name,
      () => {
        if (!(allowed as readonly string[]).includes(value))
          throw new InputError(`${name} '${value}' is not one of ${allowed.join(', ')}`);
        return value as T;
      },
      fallback,
    );
  const model = field<ModelName>(
    'model',
    () => {
      if (!isModelName(s.model)) throw new InputError(`there is no model '${s.model}'`);
      return s.model;
    },
    'cnn',
  );
  const opt = oneOf<OptimizerName>('opt', s.opt, OPTIMIZER_NAMES, 'adamw');
  const lr = field('lr', () => checkHyper('lr', parseNumber(s.lr, 'the learning rate')), NaN);
  const hyper: Record<string, number> = {};
  for (const key of Object.keys(OPTIMIZERS[opt].defaults)) {
    hyper[key] = field(`hyper.${key}`, () => checkOwnHyper(key, s.hyper[key] ?? ''), NaN);
  }
  const sched = oneOf<ScheduleName>('sched', s.sched, SCHEDULES, 'onecycle');
  const epochs = field('epochs', () => wholeAtLeast(s.epochs, 'epochs', 1), 1);
  const bs = field('bs', () => wholeAtLeast(s.bs, 'the batch size', 1), 1);
  const ensemble = field('ensemble', () => wholeAtLeast(s.ensemble, 'the ensemble size', 1), 1);
  const seed = field(
    'seed',
    () => {
      const v = parseNumber(s.seed, 'the seed');
      if (!Number.isInteger(v)) throw new InputError(`the seed must be a whole number, got ${v}`);
      return v;
    },
    0,
  );
  const subset = field(
    'subset',
    () => {
      if (s.subset.trim() === '') return null;
      const n = wholeAtLeast(s.subset, 'the subset', 1);
      if (n > TRAIN_IMAGES)
        throw new InputError(
          `the subset must be at most ${TRAIN_IMAGES.toLocaleString('en')}, the training images there are (leave it empty for all), got ${String(n)}`,
        );
      return n;
    },
    null,
  );
  const backend = oneOf<BackendSetting>('backend', s.backend, BACKEND_SETTINGS, 'auto');
  const aug = s.aug.filter((a) => AUGMENTS.includes(a));
  if (Object.keys(errors).length) return { config: null, backend, errors };
  return {
    config: {
      model,
      epochs,
      bs,
      lr,
      opt,
      hyper,
      sched,
      aug,
      tta: s.tta,
      ensemble,
      seed,
      subset,
      backend,
      microBatch: microBatchFor(backend, bs),
      workers: 1,
    },
    backend,
    errors,
  };
};
