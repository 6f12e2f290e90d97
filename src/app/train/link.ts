import { appliesTo, parseValue } from '../../settings/schema.ts';
import type { Setting } from '../../settings/schema.ts';
import { HYPER_KEYS, TRAIN_SETTINGS } from '../../settings/train.ts';
import type { Settings } from './settings.ts';
import { BROWSER_ENV, DEFAULT_SETTINGS, formValue, OWN, ownHyperDefaults } from './settings.ts';

/** The Train tab's settings a link carries, by their CLI flag: `#model=cnn&lr=0.02&wd=0.05`. */
const LINKED = TRAIN_SETTINGS.filter((s) => appliesTo(s, 'tab'));
const isHyper = (s: Setting): boolean => (HYPER_KEYS as readonly string[]).includes(s.key);

const asText = (v: unknown): string => {
  if (Array.isArray(v)) return v.join(',');
  if (typeof v === 'boolean') return v ? 'true' : '';
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
};

/**
 * The URL hash (without `#`) that reproduces a Train tab setup; defaults are left out. The
 * student's own rule and schedule travel as their full texts (`rule=…&sched-formula=…`).
 */
export const formatTrainLink = (s: Settings): string => {
  const q = new URLSearchParams();
  const ownDefaults = ownHyperDefaults(s) ?? {};
  for (const setting of LINKED) {
    const raw = formValue(s, setting.key);
    if (raw === undefined && !isHyper(setting)) continue;
    const value = asText(raw).trim();
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
    // what the schedule may schedule depends on the link's optimizer, as in the form
    const values =
      fields.opt === OWN
        ? { rule: fields.rule as string }
        : typeof fields.opt === 'string'
          ? { opt: fields.opt }
          : {};
    const parsed = parseValue(setting, value, BROWSER_ENV, setting.label, values);
    if ('error' in parsed) {
      ignore(key, value, parsed.error);
      return null;
    }
    return value.trim();
  };
  // The optimizer and the rule first: which hyperparameters a link may set, and which a
  // schedule may schedule, depend on them.
  // The schedule formula last, so that it wins over a `sched` entry.
  const rank: Record<string, number> = { opt: 3, rule: 2, 'sched-formula': 0 };
  const first = (k: string): number => rank[k] ?? 1;
  const ordered = [...entries].sort(([a], [b]) => first(b) - first(a));
  const chosen = { opt: DEFAULT_SETTINGS.opt, rule: '' };
  for (const [key, value] of ordered) {
    const setting = LINKED.find((s) => s.flag === key);
    if (!setting) {
      ignore(key, value, `there is no setting '${key}' in the Train tab`);
      continue;
    }
    const text = read(setting, key, value);
    if (text === null) continue;
    if (setting.key === 'opt') chosen.opt = text;
    if (setting.key === 'rule') {
      // A rule text is kept as sent (its line and column numbers), not trimmed.
      Object.assign(chosen, { opt: OWN, rule: value });
      Object.assign(fields, { opt: OWN, rule: value });
    } else if (setting.key === 'schedFormula') {
      Object.assign(fields, { sched: OWN, schedFormula: value });
    } else if (isHyper(setting)) {
      if (setting.key in (ownHyperDefaults(chosen) ?? {})) hyper[setting.key] = text;
      else
        ignore(
          key,
          value,
          `${chosen.opt === OWN ? 'your rule' : chosen.opt} has no ${setting.label}`,
        );
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
    hyper: { ...ownHyperDefaults(chosen), ...hyper },
  };
  return { settings, errors };
};
