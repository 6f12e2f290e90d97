/**
 * A settings table: each setting defined once (name, flag, type, default, check, help text, where
 * it applies), read by every consumer: the CLI's flags and `--help`, the Train tab's form and its
 * link, a saved config.json. No tfjs, no DOM, no Node modules: a page and the CLI's `--help` load it
 * cheaply.
 */

/** Where a setting is offered: on the command line, in the Train tab, or both. */
export type Where = 'cli' | 'tab' | 'both';

/** Where the settings are read: Node (the CLI) or a browser (the Train tab). */
export interface Env {
  readonly kind: 'node' | 'browser';
  /** Cores of this machine (Node's `availableParallelism()`; a browser's `hardwareConcurrency`, capped). */
  readonly cores: number;
  /** What `cores` counts, as messages say it; default 'the cores of this machine'. */
  readonly coresAre?: string;
}

export type Value = number | string | boolean | readonly string[] | null;

/** What a default may depend on: the environment and the settings read before it. */
export interface Context {
  readonly env: Env;
  readonly values: Readonly<Record<string, Value>>;
}

export interface Setting {
  /** The name in the run's config and in the Train tab's form. */
  readonly key: string;
  /** The command-line flag, without `--`. */
  readonly flag: string;
  /** The flag's value as `--help` writes it ('N', 'X', 'NAME'); null for a switch. */
  readonly arg: string | null;
  /** The setting in the user's words, as messages start: 'the learning rate'. */
  readonly label: string;
  readonly type: 'number' | 'choice' | 'list' | 'switch' | 'text';
  /** A number that may be left empty (null). */
  readonly optional?: boolean;
  /** The accepted names of a choice or list, per environment. */
  readonly choices?: (env: Env) => readonly string[];
  /** A number's problem in the user's words ('must be greater than 0'), or null when it is fine. */
  readonly check?: (v: number, env: Env) => string | null;
  /** A text's problem in the user's words, given the settings read before it; null when fine. */
  readonly checkText?: (text: string, values: Readonly<Record<string, Value>>) => string | null;
  readonly default: (ctx: Context) => Value;
  /** The default as `--help` says it, where it is not one value. */
  readonly defaultText?: (env: Env) => string;
  readonly help: string;
  readonly where: Where;
}

// ---------- checks, in the user's words ----------

export const wholeAtLeast =
  (min: number) =>
  (v: number): string | null =>
    Number.isInteger(v) && v >= min ? null : `must be a whole number ≥ ${String(min)}`;
export const whole = (v: number): string | null =>
  Number.isInteger(v) ? null : 'must be a whole number';
export const positive = (v: number): string | null => (v > 0 ? null : 'must be greater than 0');
export const notNegative = (v: number): string | null => (v >= 0 ? null : 'must be 0 or more');
export const unitInterval = (v: number): string | null =>
  v >= 0 && v < 1 ? null : 'must be in [0, 1)';

// ---------- reading one value ----------

export type Parsed = { readonly value: Value } | { readonly error: string };

const show = (raw: unknown): string =>
  typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean'
    ? String(raw)
    : JSON.stringify(raw);

/**
 * One setting's value from what was typed (text) or saved (JSON), checked; a problem is a message
 * that starts with `subject` (`--lr`, 'the learning rate', `lr`) and says what is accepted.
 */
export const parseValue = (
  s: Setting,
  raw: unknown,
  env: Env,
  subject: string,
  values: Readonly<Record<string, Value>> = {},
): Parsed => {
  switch (s.type) {
    case 'number': {
      if (raw === null || (typeof raw === 'string' && raw.trim() === '')) {
        return s.optional ? { value: null } : { error: `${subject} cannot be empty` };
      }
      if (typeof raw !== 'string' && typeof raw !== 'number')
        return { error: `${subject} must be a number, got ${show(raw)}` };
      const v = Number(raw);
      if (!Number.isFinite(v)) return { error: `${subject} must be a number; '${raw}' is not one` };
      const problem = s.check?.(v, env);
      return problem ? { error: `${subject} ${problem}, got ${String(v)}` } : { value: v };
    }
    case 'choice': {
      const allowed = s.choices?.(env) ?? [];
      const v = show(raw);
      return allowed.includes(v)
        ? { value: v }
        : { error: `${subject} '${v}' is not one of ${allowed.join(', ')}` };
    }
    case 'list': {
      const allowed = s.choices?.(env) ?? [];
      const items = (Array.isArray(raw) ? raw.map(show) : show(raw).split(','))
        .map((x) => x.trim())
        .filter((x) => x !== '');
      const bad = items.find((x) => !allowed.includes(x));
      return bad === undefined
        ? { value: items }
        : { error: `${subject} '${bad}' is not one of ${allowed.join(', ')}` };
    }
    case 'switch':
      if (raw === true || raw === 'true' || raw === '1') return { value: true };
      if (raw === false || raw === 'false' || raw === '0' || raw === null) return { value: false };
      return { error: `${subject} must be true or false, got ${show(raw)}` };
    case 'text': {
      if (raw === null && s.optional) return { value: null };
      if (typeof raw !== 'string' || raw === '')
        return { error: `${subject} needs a value (${s.arg ?? 'text'})` };
      const problem = s.checkText?.(raw, values);
      return problem ? { error: `${subject}: ${problem}` } : { value: raw };
    }
  }
};

/** Whether a setting is offered in a place ('cli' or 'tab'). */
export const appliesTo = (s: Setting, place: 'cli' | 'tab'): boolean =>
  s.where === 'both' || s.where === place;

/** The default as text, for `--help` and the form. */
export const defaultText = (s: Setting, env: Env): string => {
  if (s.defaultText) return s.defaultText(env);
  const v = s.default({ env, values: {} });
  if (v === null) return 'none';
  if (Array.isArray(v)) return v.length ? v.join(',') : 'none';
  return String(v);
};

/** A setting's help as `--help` gives it: the accepted names, what it does, its default. */
export const helpText = (s: Setting, env: Env): string => {
  const choices = s.choices ? `${s.choices(env).join(s.type === 'list' ? ',' : ', ')}; ` : '';
  const shown = s.defaultText !== undefined || (s.type !== 'switch' && s.type !== 'text');
  return `${choices}${s.help}${shown ? ` (default ${defaultText(s, env)})` : ''}`;
};

/** One `--help` line: the flag, its value, its help and its default. */
export const usageLine = (s: Setting, env: Env): string =>
  `  --${s.flag}${s.arg ? ` ${s.arg}` : ''}: ${helpText(s, env)}`;
