import type { DataSpec } from './data.ts';
import { rowCount, workbookData } from './data.ts';
import { generatedData, DATA_SETTINGS } from './data-settings.ts';
import type { ModelSpec } from './expression.ts';
import { compileModel, workbookModel } from './expression.ts';
import type { SheetDef } from './sheets.ts';
import { isSheetName, SHEETS } from './sheets.ts';
import { runLimit } from './limits.ts';
import { checkSheetName, MAX_USER_SHEETS, userSheetDef } from './user-sheet.ts';
import { checkData, parseHyper } from './validate.ts';
import type { AnySheet, HyperValues } from './workbook.ts';
import { ALL_SHEETS } from './workbook.ts';

/** A user's own rule sheet as a link carries it: its name and its rule text. */
export interface UserRule {
  readonly name: string;
  readonly text: string;
  /** An lr per epoch, as `userSheetDef` takes it. */
  readonly schedule?: { readonly text: string; readonly epochs: number };
}

/** Everything a link reproduces: the data, the model, typed hyperparameters, runs done, the tab. */
export interface AppState {
  readonly sheet: AnySheet;
  readonly data: DataSpec;
  readonly model: ModelSpec;
  readonly hypers: HyperValues;
  /** Run epochs done on each sheet since its Reset. */
  readonly runs: Partial<Record<string, number>>;
  /** The user's own rule sheets, in tab order. */
  readonly rules: readonly UserRule[];
}

export const defaultState: AppState = {
  sheet: 'basic',
  data: workbookData,
  model: workbookModel,
  hypers: {},
  runs: {},
  rules: [],
};

const formatData = (d: DataSpec): string | null => {
  switch (d.kind) {
    case 'workbook':
      return d.intercept === 30 && d.slope === 2 ? null : `workbook:${d.intercept},${d.slope}`;
    case 'generated':
      return `gen:${d.seed},${d.rows},${d.intercept},${d.slope},${d.noise}`;
    case 'custom':
      return `xy:${d.x.map((x, i) => `${x},${d.y[i] ?? ''}`).join(';')}`;
  }
};

const numbers = (text: string, count: number, what: string): number[] => {
  const parts = text.split(',').map(Number);
  if (parts.length !== count || parts.some((v) => !Number.isFinite(v))) {
    throw new Error(`${what} needs ${count} numbers separated by commas, got '${text}'`);
  }
  return parts;
};

const parseData = (text: string): DataSpec => {
  const [kind = '', rest = ''] = text.split(/:(.*)/s);
  if (kind === 'workbook') {
    const [intercept = 30, slope = 2] = numbers(rest, 2, 'data=workbook:');
    return checkData({ kind: 'workbook', intercept, slope });
  }
  if (kind === 'gen') {
    const parts = numbers(rest, DATA_SETTINGS.length, 'data=gen:');
    return checkData(
      generatedData(
        (key) => String(parts[DATA_SETTINGS.findIndex((s) => s.key === key)]),
        (key) => key,
      ),
    );
  }
  if (kind === 'xy') {
    const pairs = rest.split(';').map((p) => numbers(p, 2, 'each x,y pair'));
    return checkData({
      kind: 'custom',
      x: pairs.map((p) => p[0] ?? NaN),
      y: pairs.map((p) => p[1] ?? NaN),
    });
  }
  throw new Error(
    `data must be workbook:…, gen:seed,rows,intercept,slope,noise or xy:x,y;x,y…, got '${text}'`,
  );
};

/** The URL hash (without `#`) for a state; defaults are left out so links stay short. */
export const formatState = (s: AppState): string => {
  const q = new URLSearchParams();
  q.set('sheet', s.sheet);
  const data = formatData(s.data);
  if (data) q.set('data', data);
  if (s.model.model !== workbookModel.model) q.set('model', s.model.model);
  if (s.model.loss !== workbookModel.loss) q.set('loss', s.model.loss);
  for (const r of s.rules) q.set(`rule.${r.name}`, r.text);
  for (const r of s.rules)
    if (r.schedule) q.set(`sched.${r.name}`, `${r.schedule.epochs}:${r.schedule.text}`);
  for (const [sheet, hs] of Object.entries(s.hypers)) {
    for (const [k, v] of Object.entries(hs ?? {})) q.set(`${sheet}.${k}`, String(v));
  }
  for (const [sheet, n] of Object.entries(s.runs)) if (n) q.set(`${sheet}.runs`, String(n));
  return q.toString();
};

/**
 * Reads a URL hash. Every bad or unknown entry is skipped with a message saying why, and the
 * rest of the link still applies: a broken link never loses the parts that are fine. A rule
 * text in a link is untrusted input: it is parsed and checked as typed text is (with the
 * rule language's size limits), never run, and at most `MAX_USER_SHEETS` are taken.
 */
export const parseState = (hash: string): { state: AppState; errors: string[] } => {
  const errors: string[] = [];
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  let sheet: AnySheet = defaultState.sheet;
  let data = defaultState.data;
  let model = defaultState.model;
  const hypers: HyperValues = {};
  const runs: Partial<Record<string, number>> = {};
  const rules: UserRule[] = [];
  const userDefs = new Map<string, SheetDef>();
  const defOf = (name: string): SheetDef | undefined =>
    isSheetName(name) ? SHEETS[name] : userDefs.get(name);
  const attempt = (what: string, f: () => void): void => {
    try {
      f();
    } catch (err) {
      errors.push(`link: ignored ${what}: ${(err as Error).message}`);
    }
  };
  const entries = [...q];
  for (const [key, value] of entries) {
    if (!key.startsWith('rule.')) continue;
    attempt(`${key} (a rule of ${value.length} characters)`, () => {
      const name = checkSheetName(key.slice('rule.'.length), [...userDefs.keys()]);
      if (userDefs.size >= MAX_USER_SHEETS)
        throw new Error(`the workbook holds at most ${MAX_USER_SHEETS} sheets of your own rules`);
      userDefs.set(name, userSheetDef(name, value));
      rules.push({ name, text: value });
    });
  }
  for (const [key, value] of entries) {
    if (!key.startsWith('sched.')) continue;
    attempt(`${key} (a schedule of ${value.length} characters)`, () => {
      const name = key.slice('sched.'.length);
      const i = rules.findIndex((r) => r.name === name);
      const rule = rules[i];
      if (!rule) throw new Error(`no rule sheet '${name}' to schedule`);
      const [epochs = '', text = ''] = value.split(/:(.*)/s);
      const schedule = { text, epochs: Number(epochs) };
      userDefs.set(name, userSheetDef(name, rule.text, schedule));
      rules[i] = { ...rule, schedule };
    });
  }
  for (const [key, value] of entries) {
    if (key.startsWith('rule.') || key.startsWith('sched.')) continue;
    attempt(`${key}=${value.length > 40 ? value.slice(0, 40) + '…' : value}`, () => {
      if (key === 'sheet') {
        if (!(ALL_SHEETS as readonly string[]).includes(value) && !userDefs.has(value))
          throw new Error(`no sheet '${value}'`);
        sheet = value;
      } else if (key === 'data') {
        data = parseData(value);
      } else if (key === 'model' || key === 'loss') {
        const next = { ...model, [key]: value };
        compileModel(next);
        model = next;
      } else {
        const [name = '', field = ''] = key.split('.');
        const def = defOf(name);
        if (!def) throw new Error(`unknown setting '${key}'`);
        if (field === 'runs') {
          const n = Number(value);
          if (!Number.isInteger(n) || n < 0) throw new Error('runs must be a whole number ≥ 0');
          runs[name] = n;
          return;
        }
        const h = def.hypers.find((d) => d.key === field);
        if (!h) throw new Error(`${name} has no hyperparameter '${field}'`);
        const v = parseHyper(h.key, value);
        (hypers[name] ??= {})[h.key] = v;
      }
    });
  }
  const limit = runLimit(rowCount(data));
  for (const name of Object.keys(runs)) {
    const n = runs[name] ?? 0;
    if (n <= limit) continue;
    runs[name] = limit;
    errors.push(
      `link: ${name}.runs=${n} cut to ${limit}: a sheet with ${rowCount(data)} rows holds at most ${limit} run epochs`,
    );
  }
  return { state: { sheet, data, model, hypers, runs, rules }, errors };
};
