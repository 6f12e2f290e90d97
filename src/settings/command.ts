import type { TrainConfig } from '../training/index.ts';
import type { Env } from './schema.ts';
import { appliesTo } from './schema.ts';
import { FORMULA_OVER, HYPER_KEYS, TRAIN_SETTINGS } from './train.ts';

const isHyper = (key: string): boolean => (HYPER_KEYS as readonly string[]).includes(key);
const ANY_ENV = { kind: 'node', cores: 1 } as const satisfies Env;

/**
 * The `gradsheet train` arguments that give back `config`, read from the settings table (a new
 * setting needs nothing here). The recipe is written out in full, defaults included, so a
 * recorded command stands on its own; settings that are off (a 0 whose default is 0, an empty
 * list, a switch left off, an empty optional) are left out.
 */
export const configArgs = (config: TrainConfig): string[] => {
  const args: string[] = [];
  const fields = config as unknown as Readonly<Record<string, unknown>>;
  const hyper: Readonly<Record<string, unknown>> = config.hyper ?? {};
  // a built-in the run's own formulas replace is not part of its recipe (nor accepted beside them)
  const unused = new Set(
    FORMULA_OVER.filter((f) => fields[f.own] !== null && fields[f.own] !== undefined).map(
      (f) => f.builtIn,
    ),
  );
  for (const s of TRAIN_SETTINGS) {
    if (!appliesTo(s, 'cli') || unused.has(s.key)) continue;
    const v = isHyper(s.key) ? hyper[s.key] : fields[s.key];
    if (v === undefined || v === null || v === false) continue;
    if (Array.isArray(v)) {
      if (v.length) args.push(`--${s.flag}`, v.join(','));
    } else if (v === true) args.push(`--${s.flag}`);
    else if (v === 0 && s.default({ env: ANY_ENV, values: {} }) === 0) continue;
    else if (typeof v === 'number' || typeof v === 'string') args.push(`--${s.flag}`, String(v));
  }
  return args;
};

/** A word the shell reads as itself; anything else (a rule's text, a path with spaces) is quoted. */
export const shellWord = (text: string): string =>
  /^[\w.,:/=+@%-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;

/** The command line that trains `config` again, e.g. for docs/results.jsonl. */
export const trainCommand = (config: TrainConfig, more: readonly string[] = []): string =>
  ['npx gradsheet train', ...[...configArgs(config), ...more].map(shellWord)].join(' ');
