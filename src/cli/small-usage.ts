import type { FlagSpec } from './args.ts';
import { flagHelpLine } from './args.ts';
import { modelFlag, trainFlags } from './train-flags.ts';

/**
 * The flags of `lr-find` and `summary`, light enough for `--help` (no tfjs): lr-find takes the
 * settings a search needs from train's, plus its own.
 */
export const lrFindFlags: readonly FlagSpec[] = [
  modelFlag,
  ...trainFlags.filter((f) =>
    [
      ...['bs', 'opt', 'rule', 'beta1', 'beta2', 'eps', 'wd'],
      ...['seed', 'subset', 'backend', 'micro-batch', 'data'],
    ].includes(f.name),
  ),
  { name: 'start-lr', value: 'X', help: 'first lr (default 1e-5)' },
  { name: 'csv', value: 'FILE', help: 'write the curve (lr, loss) to a CSV file' },
];

export const summaryFlags: readonly FlagSpec[] = [
  modelFlag,
  { name: 'json', value: null, help: 'print JSON' },
];

const usageOf = (head: string, flags: readonly FlagSpec[]): string =>
  [head, ...flags.map(flagHelpLine)].join('\n');

export const lrFindUsage = (): string =>
  usageOf(
    'gradsheet lr-find [flags]   the loss as the lr rises ×1.3 a batch from --start-lr, on one thread, and a suggested lr',
    lrFindFlags,
  );

export const summaryUsage = (): string =>
  usageOf(
    'gradsheet summary [flags]   a model’s layers: output shapes, parameters, MFLOPs',
    summaryFlags,
  );
