import { appliesTo, parseValue } from '../../settings/schema.ts';
import type { Setting } from '../../settings/schema.ts';
import { HYPER_KEYS, TRAIN_SETTINGS } from '../../settings/train.ts';
import type { OptimizerName } from '../../training/optimizer-table.ts';
import { OPTIMIZERS } from '../../training/optimizer-table.ts';
import type { Settings } from './settings.ts';
import { BROWSER_ENV, DEFAULT_SETTINGS, formValue, hyperDefaults } from './settings.ts';

/** The Train tab's settings a link carries, by their CLI flag: `#model=cnn&lr=0.02&wd=0.05`. */
const LINKED = TRAIN_SETTINGS.filter((s) => appliesTo(s, 'tab'));
const isHyper = (s: Setting): boolean => (HYPER_KEYS as readonly string[]).includes(s.key);

const asText = (v: unknown): string => {
  if (Array.isArray(v)) return v.join(',');
  if (typeof v === 'boolean') return v ? 'true' : '';
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
};

/** The URL hash (without `#`) that reproduces a Train tab setup; defaults are left out. */
export const formatTrainLink = (s: Settings): string => {
  const q = new URLSearchParams();
  const ownDefaults = hyperDefaults(s.opt as OptimizerName);
  for (const setting of LINKED) {
    const value = asText(formValue(s, setting.key)).trim();
    const dflt = isHyper(setting)
      ? ownDefaults[setting.key]
      : asText(formValue(DEFAULT_SETTINGS, setting.key));
    if (value !== (dflt ?? value)) q.set(setting.flag, value === '' ? 'false' : value);
  }
  return q.toString();
};

/**
 * Reads a Train tab link over the defaults. Every unknown or wrong entry is skipped with a
 * message saying why, and the rest still applies: an untrusted link never loses the parts that
 * are fine, and nothing it carries reaches the form unchecked.
 */
export const parseTrainLink = (hash: string): { settings: Settings; errors: string[] } => {
  const errors: string[] = [];
  const entries = [...new URLSearchParams(hash.replace(/^#/, ''))];
  const fields: Record<string, unknown> = {};
  const hyper: Record<string, string> = {};
  const ignore = (key: string, value: string, why: string): void => {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    errors.push(`link: ignored ${key}=${shown}: ${why}`);
  };
  const read = (setting: Setting, key: string, value: string): string | null => {
    const parsed = parseValue(setting, value, BROWSER_ENV, setting.label);
    if ('error' in parsed) {
      ignore(key, value, parsed.error);
      return null;
    }
    return value.trim();
  };
  // The optimizer first: which hyperparameters a link may set depends on it.
  const ordered = [...entries].sort(([a], [b]) => Number(b === 'opt') - Number(a === 'opt'));
  let opt = DEFAULT_SETTINGS.opt as OptimizerName;
  for (const [key, value] of ordered) {
    const setting = LINKED.find((s) => s.flag === key);
    if (!setting) {
      ignore(key, value, `there is no setting '${key}' in the Train tab`);
      continue;
    }
    const text = read(setting, key, value);
    if (text === null) continue;
    if (setting.key === 'opt') opt = text as OptimizerName;
    if (isHyper(setting)) {
      if (setting.key in OPTIMIZERS[opt].defaults) hyper[setting.key] = text;
      else ignore(key, value, `${opt} has no ${setting.label}`);
    } else if (setting.type === 'list') {
      fields[setting.key] = text
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== '');
    } else if (setting.type === 'switch') {
      fields[setting.key] = text === 'true' || text === '1';
    } else {
      fields[setting.key] = text;
    }
  }
  const settings: Settings = {
    ...DEFAULT_SETTINGS,
    ...(fields as Partial<Settings>),
    hyper: { ...hyperDefaults(opt), ...hyper },
  };
  return { settings, errors };
};
