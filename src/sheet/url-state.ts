import type { DataSpec } from './data.ts';
import { rowCount, workbookData } from './data.ts';
import { generatedData, DATA_SETTINGS } from './data-settings.ts';
import type { ModelSpec } from './expression.ts';
import { compileModel, workbookModel } from './expression.ts';
import type { HyperKey, SheetName } from './sheets.ts';
import { isSheetName, SHEETS } from './sheets.ts';
import { runLimit } from './limits.ts';
import { checkData, parseHyper } from './validate.ts';
import type { AnySheet, HyperValues } from './workbook.ts';
import { ALL_SHEETS } from './workbook.ts';

/** Everything a link reproduces: the data, the model, typed hyperparameters, runs done, the tab. */
export interface AppState {
  readonly sheet: AnySheet;
  readonly data: DataSpec;
  readonly model: ModelSpec;
  readonly hypers: HyperValues;
  /** Run epochs done on each sheet since its Reset. */
  readonly runs: Partial<Record<SheetName, number>>;
}

export const defaultState: AppState = {
  sheet: 'basic',
  data: workbookData,
  model: workbookModel,
  hypers: {},
  runs: {},
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
  for (const [sheet, hs] of Object.entries(s.hypers)) {
    for (const [k, v] of Object.entries(hs)) q.set(`${sheet}.${k}`, String(v));
  }
  for (const [sheet, n] of Object.entries(s.runs)) if (n) q.set(`${sheet}.runs`, String(n));
  return q.toString();
};

/**
 * Reads a URL hash. Every bad or unknown entry is skipped with a message saying why, and the
 * rest of the link still applies: a broken link never loses the parts that are fine.
 */
export const parseState = (hash: string): { state: AppState; errors: string[] } => {
  const errors: string[] = [];
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  let sheet: AnySheet = defaultState.sheet;
  let data = defaultState.data;
  let model = defaultState.model;
  const hypers: Partial<Record<SheetName, Partial<Record<HyperKey, number>>>> = {};
  const runs: Partial<Record<SheetName, number>> = {};
  const attempt = (what: string, f: () => void): void => {
    try {
      f();
    } catch (err) {
      errors.push(`link: ignored ${what}: ${(err as Error).message}`);
    }
  };
  for (const [key, value] of q) {
    attempt(`${key}=${value.length > 40 ? value.slice(0, 40) + '…' : value}`, () => {
      if (key === 'sheet') {
        if (!(ALL_SHEETS as readonly string[]).includes(value))
          throw new Error(`no sheet '${value}'`);
        sheet = value as AnySheet;
      } else if (key === 'data') {
        data = parseData(value);
      } else if (key === 'model' || key === 'loss') {
        const next = { ...model, [key]: value };
        compileModel(next);
        model = next;
      } else {
        const [name = '', field = ''] = key.split('.');
        if (!isSheetName(name)) throw new Error(`unknown setting '${key}'`);
        if (field === 'runs') {
          const n = Number(value);
          if (!Number.isInteger(n) || n < 0) throw new Error('runs must be a whole number ≥ 0');
          runs[name] = n;
          return;
        }
        const h = SHEETS[name].hypers.find((d) => d.key === field);
        if (!h) throw new Error(`${name} has no hyperparameter '${field}'`);
        const v = parseHyper(h.key, value);
        (hypers[name] ??= {})[h.key] = v;
      }
    });
  }
  const limit = runLimit(rowCount(data));
  for (const name of Object.keys(runs).filter(isSheetName)) {
    const n = runs[name] ?? 0;
    if (n <= limit) continue;
    runs[name] = limit;
    errors.push(
      `link: ${name}.runs=${n} cut to ${limit}: a sheet with ${rowCount(data)} rows holds at most ${limit} run epochs`,
    );
  }
  return { state: { sheet, data, model, hypers, runs }, errors };
};
