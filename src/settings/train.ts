import {
  ADDITION_CHECKS,
  AUGMENT_PER,
  AUGMENTS,
  DEFAULT_AUG_PER,
  DEFAULT_CONFIG,
  MIX_CONFLICT,
  MODEL_NAMES,
  OPTIMIZER_NAMES,
  ruleOf,
  SCHEDULES,
  TRAIN_IMAGES,
} from '../training/index.ts';
import type { Additions, Hyper, OptimizerName, TrainConfig } from '../training/index.ts';
import { parseRule, parseSchedules, RULE_TEXT_NAMES, SCHEDULE_TEXTS } from '../optimizers/index.ts';
import {
  BACKEND_SETTINGS,
  BROWSER_CPU_ROWS,
  microBatchFor,
  NODE_BACKENDS,
  NODE_CPU_ROWS,
  onGpu,
} from '../core/backends.ts';
import type { Context, Env, Setting, Value } from './schema.ts';
import {
  appliesTo,
  notNegative,
  parseValue,
  positive,
  unitInterval,
  whole,
  wholeAtLeast,
} from './schema.ts';

const NO_ENV: Env = { kind: 'node', cores: 1 };
const fixed = (v: Value) => (): Value => v;
const perEnv =
  (node: Value, browser: Value) =>
  ({ env }: Context): Value =>
    env.kind === 'node' ? node : browser;
const opt = (ctx: Context): OptimizerName =>
  (ctx.values.opt as OptimizerName | undefined) ?? DEFAULT_CONFIG.opt;
const ruleText = (values: Context['values']): string | null =>
  typeof values.rule === 'string' ? values.rule : null;
/** The hyperparameters (besides lr) of the run's update rule: the user's rule, or --opt's. */
const ownDefaults = (ctx: Context): Hyper =>
  ruleOf({ opt: opt(ctx), rule: ruleText(ctx.values) }).defaults;
/** The run's update rule in messages: "adamw", "the rule 'lion'". */
const ruleLabel = (ctx: Context): string => {
  const text = ruleText(ctx.values);
  if (text === null) return opt(ctx);
  const name = ruleOf({ opt: opt(ctx), rule: text }).name;
  return name ? `the rule '${name}'` : 'your rule';
};

/** A number setting `--flag X`: what the optimizer hyperparameters and the additions share. */
const numeric = (
  key: string,
  flag: string,
  label: string,
  check: (v: number) => string | null,
  rest: Pick<Setting, 'default' | 'defaultText' | 'help' | 'where'>,
): Setting => ({ key, flag, arg: 'X', label, type: 'number', check, ...rest });

/** A training addition (src/training/additions/additions.ts): a number, 0 for off; the CLI's and the Train tab's. */
const addition = (
  key: keyof Additions,
  flag: string,
  label: string,
  help: string,
  arg = 'X',
): Setting => ({
  ...numeric(key, flag, label, ADDITION_CHECKS[key], {
    default: fixed(0),
    defaultText: () => '0: off',
    help,
    where: 'both',
  }),
  arg,
});

/** The training additions for the challenge, in the order `--help` and the Train tab list them. */
export const ADDITION_SETTINGS: readonly Setting[] = [
  addition(
    'labelSmoothing',
    'label-smoothing',
    'label smoothing',
    'label smoothing ε of the training loss',
  ),
  addition(
    'ema',
    'ema',
    'the EMA decay',
    'evaluate and save an exponential moving average of the weights with this decay, e.g. 0.99',
  ),
  addition('mixup', 'mixup', 'mixup', 'mixup with λ ~ Beta(α, α) per batch, this α'),
  addition('cutmix', 'cutmix', 'CutMix', 'CutMix with λ ~ Beta(α, α) per batch, this α'),
  addition(
    'ttaViews',
    'tta-views',
    'the extra TTA views',
    'extra TTA views beyond the flip: 1-pixel shifts right, left, down, up',
    'N',
  ),
];

/** An optimizer hyperparameter: default the optimizer's own (docs/lesson.md §3.1, §3.3). */
const hyper = (
  key: string,
  flag: string,
  label: string,
  check: (v: number) => string | null,
  help: string,
): Setting =>
  numeric(key, flag, label, check, {
    default: (ctx) => ownDefaults(ctx)[key] ?? null,
    defaultText: () => 'the optimizer’s own',
    help: `${help}, for the optimizers that have it`,
    where: 'both',
  });

/** The hyperparameters an optimizer may have, besides lr; each in `TrainConfig.hyper`. */
export const HYPER_KEYS = ['beta1', 'beta2', 'eps', 'weightDecay'] as const;

/**
 * Every setting of a training run, in the order `--help` lists them and the Train tab's form shows
 * them (its messages come in this order). Both train with a gradient worker per core by default:
 * the CLI on wasm, the Train tab on the backend it picks ('auto'), or on one worker on a GPU.
 */
export const TRAIN_SETTINGS: readonly Setting[] = [
  {
    key: 'model',
    flag: 'model',
    arg: 'NAME',
    label: 'model',
    type: 'choice',
    choices: () => MODEL_NAMES,
    default: fixed(DEFAULT_CONFIG.model),
    help: 'the network',
    where: 'both',
  },
  {
    key: 'lr',
    flag: 'lr',
    arg: 'X',
    label: 'the learning rate',
    type: 'number',
    check: positive,
    default: fixed(DEFAULT_CONFIG.lr),
    help: 'learning rate, the 1cycle maximum',
    where: 'both',
  },
  {
    key: 'opt',
    flag: 'opt',
    arg: 'NAME',
    label: 'the optimizer',
    type: 'choice',
    choices: () => OPTIMIZER_NAMES,
    default: fixed(DEFAULT_CONFIG.opt),
    help: 'the update rule',
    where: 'both',
  },
  {
    key: 'rule',
    flag: 'rule',
    arg: 'NAME|FILE|TEXT',
    label: 'the rule',
    type: 'text',
    optional: true,
    checkText: (text) =>
      parseRule(text)
        .errors.map((e) => e.message)
        .join('; ') || null,
    default: fixed(null),
    defaultText: () => 'none: --opt',
    help: `your own update rule as formulas (docs/rules.md), used instead of --opt: a library rule (${RULE_TEXT_NAMES.join(', ')}), a file, or the text`,
    where: 'both',
  },
  hyper('beta1', 'beta1', 'beta1', unitInterval, 'momentum, the first moment’s decay'),
  hyper('beta2', 'beta2', 'beta2', unitInterval, 'the second moment’s decay'),
  hyper('eps', 'eps', 'eps', positive, 'ε, added to the denominator'),
  hyper('weightDecay', 'wd', 'weight decay', notNegative, 'weight decay'),
  {
    key: 'sched',
    flag: 'sched',
    arg: 'NAME',
    label: 'the schedule',
    type: 'choice',
    choices: () => SCHEDULES,
    default: fixed(DEFAULT_CONFIG.sched),
    help: 'the lr schedule',
    where: 'both',
  },
  {
    key: 'schedFormula',
    flag: 'sched-formula',
    arg: 'NAME|FILE|TEXT',
    label: 'the schedule formula',
    type: 'text',
    optional: true,
    checkText: (text, values) =>
      parseSchedules(text, ['lr', ...Object.keys(ownDefaults({ env: NO_ENV, values }))])
        .errors.map((e) => e.message)
        .join('; ') || null,
    default: fixed(null),
    defaultText: () => 'none: --sched',
    help: `schedules as formulas of pct, step, total and lr (docs/rules.md), for lr and the rule's hyperparameters, used instead of --sched: ${Object.keys(SCHEDULE_TEXTS).join(', ')}, a file, or the text`,
    where: 'both',
  },
  {
    key: 'schedEvery',
    flag: 'sched-every',
    arg: 'WHEN',
    label: 'sched-every',
    type: 'choice',
    choices: () => ['batch', 'epoch'],
    default: fixed('batch'),
    help: 'when the schedule formula steps (total is the run’s batches or its epochs)',
    where: 'both',
  },
  {
    key: 'epochs',
    flag: 'epochs',
    arg: 'N',
    label: 'epochs',
    type: 'number',
    check: wholeAtLeast(1),
    default: fixed(DEFAULT_CONFIG.epochs),
    help: 'epochs',
    where: 'both',
  },
  {
    key: 'bs',
    flag: 'bs',
    arg: 'N',
    label: 'the batch size',
    type: 'number',
    check: wholeAtLeast(1),
    default: fixed(DEFAULT_CONFIG.bs),
    help: 'batch size',
    where: 'both',
  },
  {
    key: 'aug',
    flag: 'aug',
    arg: 'LIST',
    label: 'aug',
    type: 'list',
    choices: () => AUGMENTS,
    default: fixed(DEFAULT_CONFIG.aug),
    help: 'batch augmentations, comma-separated',
    where: 'both',
  },
  {
    key: 'augPer',
    flag: 'aug-per',
    arg: 'WHEN',
    label: 'aug-per',
    type: 'choice',
    choices: () => AUGMENT_PER,
    default: fixed(DEFAULT_AUG_PER),
    help: 'draw each augmentation’s random choice once per batch, as the lesson does, or for every image',
    where: 'both',
  },
  {
    key: 'tta',
    flag: 'tta',
    arg: null,
    label: 'tta',
    type: 'switch',
    default: fixed(DEFAULT_CONFIG.tta),
    help: 'also evaluate with test-time augmentation (mean logits with the flipped images)',
    where: 'both',
  },
  ...ADDITION_SETTINGS,
  {
    key: 'ensemble',
    flag: 'ensemble',
    arg: 'N',
    label: 'the ensemble size',
    type: 'number',
    check: wholeAtLeast(1),
    default: fixed(DEFAULT_CONFIG.ensemble),
    help: 'train N models and average their logits',
    where: 'both',
  },
  {
    key: 'seed',
    flag: 'seed',
    arg: 'N',
    label: 'the seed',
    type: 'number',
    check: whole,
    default: fixed(DEFAULT_CONFIG.seed),
    help: 'seed of init, shuffling and augmentation',
    where: 'both',
  },
  {
    key: 'subset',
    flag: 'subset',
    arg: 'N',
    label: 'the subset',
    type: 'number',
    optional: true,
    // The CLI may read a smaller data folder: it says so and trains on all there is.
    check: (v, env) =>
      wholeAtLeast(1)(v) ??
      (env.kind === 'browser' && v > TRAIN_IMAGES
        ? `must be at most ${TRAIN_IMAGES.toLocaleString('en')}, the training images there are (leave it empty for all)`
        : null),
    default: fixed(DEFAULT_CONFIG.subset),
    defaultText: () => 'all',
    help: 'use only N training images (and N/6 validation images)',
    where: 'both',
  },
  {
    key: 'backend',
    flag: 'backend',
    arg: 'NAME',
    label: 'backend',
    type: 'choice',
    choices: (env) => (env.kind === 'node' ? NODE_BACKENDS : BACKEND_SETTINGS),
    default: perEnv(DEFAULT_CONFIG.backend, 'auto'),
    help: 'tfjs backend (webgpu runs on the GPU through Dawn and Vulkan)',
    where: 'both',
  },
  {
    key: 'workers',
    flag: 'workers',
    arg: 'N',
    label: 'workers',
    type: 'number',
    check: (v, env) =>
      wholeAtLeast(1)(v) ??
      (v <= env.cores
        ? null
        : `must be at most ${String(env.cores)}, ${env.coresAre ?? 'the cores of this machine'} (more would only wait for a core)`),
    default: ({ env, values }) => {
      if (env.kind === 'node') return values.backend !== 'webgpu' ? env.cores : 1;
      // The Train tab: gradient workers train on wasm; a GPU takes the whole batch itself.
      return onGpu(String(values.backend)) ? DEFAULT_CONFIG.workers : env.cores;
    },
    defaultText: (env) => `the ${String(env.cores)} cores here; 1 = this thread; webgpu: 1`,
    help: 'worker threads computing gradients, data parallel',
    where: 'both',
  },
  {
    key: 'microBatch',
    flag: 'micro-batch',
    arg: 'N',
    label: 'the micro-batch',
    type: 'number',
    check: wholeAtLeast(1),
    default: ({ env, values }) =>
      microBatchFor(
        String(values.backend),
        Number(values.bs),
        Number(values.workers),
        env.kind === 'node' ? NODE_CPU_ROWS : BROWSER_CPU_ROWS,
      ),
    defaultText: (env) =>
      `a worker's share of the batch, at most ${String(env.kind === 'node' ? NODE_CPU_ROWS : BROWSER_CPU_ROWS)}; on a GPU the whole batch`,
    help: "largest batch through the model at once; when it holds each worker's share, BatchNorm normalises the whole batch, otherwise each micro-batch",
    where: 'cli',
  },
];

/** The CLI's flags that are not part of the config: where the run goes, and what it reads. */
export const RUN_FLAGS: readonly Setting[] = [
  {
    key: 'out',
    flag: 'out',
    arg: 'DIR',
    label: 'out',
    type: 'text',
    default: fixed(null),
    defaultText: () => 'runs/<time>',
    help: 'where metrics.csv, recorder.csv, run.json and the model go',
    where: 'cli',
  },
  {
    key: 'resume',
    flag: 'resume',
    arg: null,
    label: 'resume',
    type: 'switch',
    default: fixed(false),
    help: 'continue the run in --out from its last checkpoint',
    where: 'cli',
  },
  {
    key: 'data',
    flag: 'data',
    arg: 'DIR',
    label: 'data',
    type: 'text',
    default: fixed(null),
    defaultText: () => 'data/',
    help: 'directory of the four Fashion-MNIST .gz files',
    where: 'cli',
  },
];

export const settingByKey = (key: string): Setting | undefined =>
  TRAIN_SETTINGS.find((s) => s.key === key);

const isHyper = (key: string): boolean => (HYPER_KEYS as readonly string[]).includes(key);

/**
 * Settings that choose the same thing, your formulas or a built-in: with the formulas given, the
 * built-in is unused (the CLI refuses both; a recorded command leaves the built-in out).
 */
export const FORMULA_OVER: readonly { own: string; builtIn: string; what: string }[] = [
  { own: 'rule', builtIn: 'opt', what: 'the update rule' },
  { own: 'schedFormula', builtIn: 'sched', what: 'the schedule' },
];

/**
 * Builds a run's config from raw values (typed text, flags or a saved config.json), every setting
 * checked by the table. `raw(s)` is what was given for a setting, or undefined for its default.
 * `subject(s)` starts each message: `--lr`, 'the learning rate', `lr`. Errors are keyed by the
 * setting's key (`hyper.beta1` for a hyperparameter, as the Train tab's form names it).
 */
const setting = (key: string): Setting => {
  const s = TRAIN_SETTINGS.find((t) => t.key === key);
  if (!s) throw new Error(`no setting '${key}'`);
  return s;
};

export const buildConfig = (
  place: 'cli' | 'tab',
  env: Env,
  raw: (s: Setting) => unknown,
  subject: (s: Setting) => string,
): { config: TrainConfig | null; errors: Record<string, string> } => {
  const values: Record<string, Value> = {};
  const errors: Record<string, string> = {};
  const hyperValues: Hyper = {};
  for (const s of TRAIN_SETTINGS) {
    const name = isHyper(s.key) ? `hyper.${s.key}` : s.key;
    const given = appliesTo(s, place) ? raw(s) : undefined;
    const ownHyper = isHyper(s.key) && s.key in ownDefaults({ env, values });
    if (isHyper(s.key) && !ownHyper) {
      if (given !== undefined && place === 'cli')
        errors[name] = `${subject(s)}: ${ruleLabel({ env, values })} has no ${s.label}`;
      continue;
    }
    if (s.key === 'workers' && onGpu(String(values.backend)) && given !== undefined) {
      if (given !== '1' && given !== 1)
        errors[name] =
          place === 'cli'
            ? `${subject(s)}: the webgpu backend trains on one GPU, with --workers 1`
            : `${subject(s)}: ${String(values.backend)} trains on the GPU, in one worker: leave workers empty (or 1)`;
      values[s.key] = 1;
      continue;
    }
    const parsed =
      given === undefined
        ? { value: s.default({ env, values }) }
        : parseValue(s, given, env, subject(s), values);
    if ('error' in parsed) errors[name] = parsed.error;
    else if (isHyper(s.key)) hyperValues[s.key] = parsed.value as number;
    else values[s.key] = parsed.value;
    if ('error' in parsed && !(s.key in values)) values[s.key] = s.default({ env, values });
  }
  const on = (key: string): boolean => {
    const v = values[key];
    return typeof v === 'number' && v > 0;
  };
  if (on('mixup') && on('cutmix')) errors.cutmix = `${subject(setting('cutmix'))}: ${MIX_CONFLICT}`;
  if (Object.keys(errors).length) return { config: null, errors };
  return { config: { ...(values as unknown as TrainConfig), hyper: hyperValues }, errors };
};
