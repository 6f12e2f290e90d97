import type { FlagSpec } from './args.ts';
import { flagHelpLine, flagText } from './args.ts';
import { trainFlags } from './train-flags.ts';

/** What some of train's flags mean to `eval`, which trains nothing. */
const EVAL_HELP: Readonly<Record<string, string>> = {
  subset:
    'the validation images of a run on N training images (the first N/6) (default the run’s own; all 10,000 for a model folder)',
};

/** The flags of `gradsheet eval`: the test-time views, the validation images, where it runs. */
export const evalFlags: readonly FlagSpec[] = trainFlags
  .filter((f) => ['tta', 'tta-views', 'subset', 'backend', 'data'].includes(f.name))
  .map((f) => ({ ...f, help: EVAL_HELP[f.name] ?? f.help }));

export const evalUsage = (): string =>
  [
    `gradsheet eval DIR ${evalFlags.map((f) => `[${flagText(f)}]`).join(' ')}`,
    '  DIR: a run folder of `gradsheet train --out` (every ensemble member, from its model/, or from its last checkpoint when the run has not finished) or a saved model folder (model.json + weights.bin)',
    '  a run is evaluated with its own test-time views unless --tta or --tta-views is given',
    ...evalFlags.map(flagHelpLine),
  ].join('\n');
