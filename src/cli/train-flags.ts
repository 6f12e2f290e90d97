import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { didYouMean } from '../core/index.ts';
import { RULE_TEXTS, SCHEDULE_TEXTS } from '../optimizers/index.ts';
import type { Env, Setting } from '../settings/schema.ts';
import { appliesTo, helpText, usageLine } from '../settings/schema.ts';
import {
  buildConfig,
  FORMULA_OVER,
  RUN_FLAGS,
  settingByKey,
  TRAIN_SETTINGS,
} from '../settings/train.ts';
import type { TrainConfig } from '../training/index.ts';
import type { FlagSpec } from './args.ts';
import { UsageError } from './args.ts';

/** The CLI's environment: Node, with this machine's cores. */
export const nodeEnv = (): Env => ({ kind: 'node', cores: availableParallelism() });

const asFlag = (s: Setting): FlagSpec => ({
  name: s.flag,
  value: s.arg,
  help: helpText(s, nodeEnv()),
});

/** `gradsheet train`'s settings, from the table: the run's settings, then --out, --resume, --data. */
export const TRAIN_FLAG_SETTINGS: readonly Setting[] = [
  ...TRAIN_SETTINGS.filter((s) => appliesTo(s, 'cli')),
  ...RUN_FLAGS,
];

export const trainFlags: FlagSpec[] = TRAIN_FLAG_SETTINGS.map(asFlag);

export const modelFlag: FlagSpec = trainFlags.find((f) => f.name === 'model') ?? {
  name: 'model',
  value: 'NAME',
  help: '',
};

/** Formula flags take a library name, a file, or the text itself (it has an `=`). */
const LIBRARIES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  rule: RULE_TEXTS,
  'sched-formula': SCHEDULE_TEXTS,
};

/** The text a formula flag (`rule`, `sched-formula`) names: a library entry, a file, or the text. */
export const resolveText = (flag: string, given: string): string => {
  const library = LIBRARIES[flag];
  if (!library) return given;
  const named = library[given];
  if (named !== undefined) return named;
  if (given.includes('=')) return given;
  try {
    return readFileSync(given, 'utf8');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new UsageError(
      `--${flag} '${given}'${didYouMean(given, Object.keys(library))} is neither one of ${Object.keys(library).join(', ')} nor a readable file (${why}), nor formula text`,
    );
  }
};

/** A training configuration from flags; anything wrong is a `UsageError` saying what is accepted. */
export const configFrom = (values: Map<string, string>): TrainConfig => {
  for (const { own, builtIn, what } of FORMULA_OVER) {
    const [a, b] = [own, builtIn].map((k) => settingByKey(k)?.flag ?? k);
    if (a && b && values.has(a) && values.has(b))
      throw new UsageError(
        `--${a} and --${b} both choose ${what}: give one (--${a} your formulas, --${b} a built-in)`,
      );
  }
  const { config, errors } = buildConfig(
    'cli',
    nodeEnv(),
    (s) => {
      const given = values.get(s.flag);
      return given === undefined ? undefined : resolveText(s.flag, given);
    },
    (s) => `--${s.flag}`,
  );
  const first = Object.values(errors)[0];
  if (first !== undefined || !config) throw new UsageError(first ?? 'no configuration');
  return config;
};

export const trainUsage = (): string =>
  [
    'gradsheet train [flags]   train a lesson model on Fashion-MNIST',
    ...TRAIN_FLAG_SETTINGS.map((s) => usageLine(s, nodeEnv())),
  ].join('\n');
