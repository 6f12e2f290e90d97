import type { BackendSetting } from '../../core/backends.ts';
import { BACKEND_SETTINGS } from '../../core/backends.ts';
import type { Env } from '../../settings/schema.ts';
import { ADDITION_SETTINGS, buildConfig, HYPER_KEYS, settingByKey } from '../../settings/train.ts';
import type {
  AugmentName,
  OptimizerName,
  TrainAdditions,
  TrainConfig,
} from '../../training/index.ts';
import { OPTIMIZERS } from '../../training/index.ts';
import { parseRule } from '../../optimizers/index.ts';

/** The training additions (labelSmoothing, ema, mixup, cutmix, ttaViews) as typed; '0' is off. */
export type AdditionFields = Readonly<Record<keyof TrainAdditions, string>>;

/** The Train tab's form as typed: numbers stay text until they are checked. */
export interface Settings extends AdditionFields {
  readonly model: string;
  readonly opt: string;
  readonly lr: string;
  /** The optimizer's own hyperparameters (beta1, beta2, eps, weightDecay), as typed. */
  readonly hyper: Readonly<Record<string, string>>;
  readonly sched: string;
  /** The rule box's text, kept while another optimizer is picked; used when `opt` is OWN. */
  readonly rule: string;
  /** The schedule box's text, kept while another schedule is picked; used when `sched` is OWN. */
  readonly schedFormula: string;
  /** When the own schedule steps: 'batch' or 'epoch'. */
  readonly schedEvery: string;
  readonly epochs: string;
  readonly bs: string;
  readonly aug: readonly AugmentName[];
  /** 'batch' (the lesson's) or 'image': how often the augmentations draw. */
  readonly augPer: string;
  readonly tta: boolean;
  readonly ensemble: string;
  readonly seed: string;
  /** Training images to use; empty for all 60,000. */
  readonly subset: string;
  readonly backend: string;
  /** Gradient workers; empty for the default (every core, or 1 on a GPU). */
  readonly workers: string;
}

/** The optimizer or schedule menu's entry for the student's own, typed as formulas. */
export const OWN = 'own';

/** Each field's problem, keyed by field name (`hyper.beta1` for a hyperparameter). */
export type FieldErrors = Record<string, string>;

/** The optimizer's hyperparameters with their notebook defaults, as text for the cells. */
export const hyperDefaults = (opt: OptimizerName): Record<string, string> =>
  Object.fromEntries(Object.entries(OPTIMIZERS[opt].defaults).map(([k, v]) => [k, String(v)]));

/**
 * The hyperparameters the form's optimizer has, with their defaults as text: a built-in's, or
 * those of the rule typed in the box; null while that rule does not parse.
 */
export const ownHyperDefaults = (
  s: Pick<Settings, 'opt' | 'rule'>,
): Record<string, string> | null => {
  if (s.opt !== OWN) return hyperDefaults(s.opt as OptimizerName);
  const { rule } = parseRule(s.rule);
  return rule
    ? Object.fromEntries(Object.entries(rule.defaults).map(([k, v]) => [k, String(v)]))
    : null;
};

/** Gradient workers a page starts at most, whatever the browser reports (each holds a model). */
export const MAX_BROWSER_WORKERS = 8;

/** The cores this browser reports, up to `MAX_BROWSER_WORKERS` (1 where it reports none). */
export const browserCores = (reported: number | undefined): number =>
  Math.max(1, Math.min(MAX_BROWSER_WORKERS, Math.floor(reported ?? 1) || 1));

/** What a page's core count is, in its messages: the cores reported, or the page's own limit. */
export const browserCoresAre = (reported: number | undefined): string =>
  browserCores(reported) < Math.floor(reported ?? 1)
    ? `the most a page starts, of the ${String(reported)} cores this browser reports`
    : 'the cores this browser reports';

const reportedCores = typeof navigator === 'undefined' ? 1 : navigator.hardwareConcurrency;

/** In a browser the backend is picked for the page ('auto'); the gradients use every core. */
export const BROWSER_ENV: Env = {
  kind: 'browser',
  cores: browserCores(reportedCores),
  coresAre: browserCoresAre(reportedCores),
};

const text = (key: string): string => {
  const s = settingByKey(key);
  const v = s?.default({ env: BROWSER_ENV, values: {} });
  return v === null || v === undefined ? '' : String(v);
};

/** The additions' defaults (each off), from the settings table. */
const ADDITIONS_OFF = Object.fromEntries(
  ADDITION_SETTINGS.map((a) => [a.key, text(a.key)]),
) as AdditionFields;

/** The form's defaults, from the settings table (src/settings/train.ts). */
export const DEFAULT_SETTINGS: Settings = {
  model: text('model'),
  opt: text('opt'),
  lr: text('lr'),
  hyper: hyperDefaults(text('opt') as OptimizerName),
  sched: text('sched'),
  rule: '',
  schedFormula: '',
  schedEvery: text('schedEvery'),
  epochs: text('epochs'),
  bs: text('bs'),
  aug: [],
  augPer: text('augPer'),
  tta: false,
  ...ADDITIONS_OFF,
  ensemble: text('ensemble'),
  seed: text('seed'),
  subset: text('subset'),
  backend: text('backend'),
  workers: '',
};

/** A preset: the lesson's own recipe, or one of ours that beat the lesson's figure. */
export interface Preset {
  readonly label: string;
  readonly kind: 'lesson' | 'challenge';
  readonly settings: Partial<Settings>;
}

/** What every lesson run shares: the recipe's batch, augmentation drawn per batch, no additions. */
const LESSON: Partial<Settings> = {
  bs: text('bs'),
  augPer: text('augPer'),
  ...ADDITIONS_OFF,
};

const LESSON_20: Partial<Settings> = {
  ...LESSON,
  model: 'resnet-wide',
  epochs: '20',
  lr: '0.01',
  aug: ['crop', 'flip'],
  tta: true,
};

const LESSON_50: Partial<Settings> = {
  ...LESSON,
  model: 'resnet-wide',
  epochs: '50',
  lr: '0.02',
  aug: ['crop', 'flip', 'erase'],
  tta: false,
};

/**
 * The lesson's runs (docs/lesson.md §5.1, §5.6), on the wide ResNet of notebook 14; the lesson
 * used none of the additions, so a preset turns them off; each sets the recipe's batch of 1024
 * (how many images to train on stays the user's choice). Then the recipes that beat the lesson's
 * figure for their epochs in docs/results.md ("The challenge"), each run there with its command.
 */
export const PRESETS: readonly Preset[] = [
  {
    label: '5 epochs, 1cycle',
    kind: 'lesson',
    settings: { ...LESSON, model: 'resnet-small', epochs: '5', lr: '0.01', aug: [], tta: false },
  },
  { label: '20 epochs + crop/flip + TTA', kind: 'lesson', settings: LESSON_20 },
  { label: '50 epochs + random erase', kind: 'lesson', settings: LESSON_50 },
  {
    label: '5 epochs, batch 256 + flip per image + label smoothing + TTA',
    kind: 'challenge',
    settings: {
      ...LESSON,
      model: 'resnet-wide',
      epochs: '5',
      lr: '0.01',
      bs: '256',
      aug: ['flip'],
      augPer: 'image',
      tta: true,
      labelSmoothing: '0.1',
    },
  },
  {
    label: '20 epochs, batch 512 + crop/flip per image + label smoothing + TTA',
    kind: 'challenge',
    settings: { ...LESSON_20, bs: '512', augPer: 'image', labelSmoothing: '0.1' },
  },
  {
    label: '50 epochs, batch 512 + crop/flip/erase per image + label smoothing + TTA',
    kind: 'challenge',
    settings: { ...LESSON_50, bs: '512', augPer: 'image', labelSmoothing: '0.1', tta: true },
  },
];

/**
 * What the form holds for a setting of the table, as typed; undefined where the form does not
 * use it (the rule box while a built-in optimizer is picked): the setting's default.
 */
export const formValue = (s: Settings, key: string): unknown => {
  if ((HYPER_KEYS as readonly string[]).includes(key)) return s.hyper[key];
  const ownRule = s.opt === OWN;
  const ownSched = s.sched === OWN;
  switch (key) {
    case 'opt':
      return ownRule ? undefined : s.opt;
    case 'rule':
      return ownRule ? s.rule : undefined;
    case 'sched':
      return ownSched ? undefined : s.sched;
    case 'schedFormula':
    case 'schedEvery':
      return ownSched ? s[key] : undefined;
    case 'workers':
      return s.workers.trim() === '' ? undefined : s.workers;
    default:
      return (s as unknown as Record<string, unknown>)[key];
  }
};

/**
 * Checks every field and builds the run's configuration, or names each field that is wrong.
 * The batch goes through the model whole on a GPU; on the CPU backends each worker's share goes
 * through in micro-batches of at most 256 (`microBatchFor`).
 */
export const parseSettings = (
  s: Settings,
): { config: TrainConfig | null; backend: BackendSetting; errors: FieldErrors } => {
  const { config, errors } = buildConfig(
    'tab',
    BROWSER_ENV,
    (setting) => formValue(s, setting.key),
    (setting) => setting.label,
  );
  // An own rule or schedule picked with nothing typed: say what to do, in the tab's words.
  if (errors.rule !== undefined && s.rule.trim() === '')
    errors.rule = 'your rule is empty: pick one to start from, or type one';
  if (errors.schedFormula !== undefined && s.schedFormula.trim() === '')
    errors.schedFormula = 'your schedule is empty: pick one to start from, or type one';
  const backend = (BACKEND_SETTINGS as readonly string[]).includes(s.backend)
    ? (s.backend as BackendSetting)
    : 'auto';
  return { config, backend, errors };
};
