import type { DataSpec } from './data.ts';
import { InputError } from './errors.ts';
import { MAX_MAGNITUDE, MAX_ROWS, runLimit } from './limits.ts';
import type { HyperKey } from './sheets.ts';

/** Parses what the user typed as a finite number, or says why not. Accepts `1e-4`, ` 0.5 `, `-3`. */
export const parseNumber = (text: string | number, what: string): number => {
  if (typeof text === 'number') {
    if (Number.isFinite(text)) return text;
    throw new InputError(`${what} must be a finite number, got ${text}`);
  }
  const t = text.trim();
  if (t === '') throw new InputError(`${what} cannot be empty`);
  const v = Number(t);
  if (!Number.isFinite(v)) throw new InputError(`${what} must be a number; '${text}' is not one`);
  return v;
};

/** Refuses a value whose square overflows a double: every row built on it would be #NUM!. */
export const checkMagnitude = (value: number, what: string): number => {
  if (Math.abs(value) > MAX_MAGNITUDE)
    throw new InputError(
      `${what} ${value} is too large: the sheet squares it, so it must lie within ±${MAX_MAGNITUDE}`,
    );
  return value;
};

/** A number typed into the sheet: finite, and small enough to square. */
export const parseValue = (text: string | number, what: string): number =>
  checkMagnitude(parseNumber(text, what), what);

/** Learning rates are positive; betas lie in [0, 1). */
export const checkHyper = (key: HyperKey, value: number): number => {
  if (key === 'lr' && !(value > 0)) {
    throw new InputError(`the learning rate must be greater than 0, got ${value}`);
  }
  if ((key === 'beta1' || key === 'beta2') && !(value >= 0 && value < 1)) {
    throw new InputError(`${key} must be in [0, 1), got ${value}`);
  }
  return value;
};

export const parseHyper = (key: HyperKey, text: string | number): number =>
  checkHyper(key, parseValue(text, key === 'lr' ? 'the learning rate' : key));

/** The row count of generated or pasted data: 2…MAX_ROWS, which is also what a link holds. */
export const checkRows = (rows: number, what = 'rows'): number => {
  if (!Number.isInteger(rows) || rows < 2 || rows > MAX_ROWS)
    throw new InputError(`${what} must be a whole number in 2…${MAX_ROWS}, got ${rows}`);
  return rows;
};

/** Checks a data spec from any source (form, paste, link, CLI); returns it unchanged. */
export const checkData = (spec: DataSpec): DataSpec => {
  switch (spec.kind) {
    case 'workbook':
      checkMagnitude(spec.intercept, 'the true intercept');
      checkMagnitude(spec.slope, 'the true slope');
      break;
    case 'generated':
      checkRows(spec.rows);
      if (!Number.isInteger(spec.seed))
        throw new InputError(`seed must be an integer, got ${spec.seed}`);
      checkMagnitude(spec.intercept, 'the true intercept');
      checkMagnitude(spec.slope, 'the true slope');
      if (!(spec.noise >= 0)) throw new InputError(`noise must be ≥ 0, got ${spec.noise}`);
      checkMagnitude(spec.noise, 'noise');
      break;
    case 'custom':
      checkRows(spec.x.length, 'the number of x,y rows');
      spec.x.forEach((v) => checkMagnitude(v, 'x'));
      spec.y.forEach((v) => checkMagnitude(v, 'y'));
      break;
  }
  return spec;
};

/**
 * Checks that run epochs fit a sheet with `rows` rows (what a link can replay). `adding` is how
 * many epochs the user asks for on top of `runs`; the message says what to do instead.
 */
export const checkRuns = (
  runs: Partial<Record<string, number>>,
  rows: number,
  adding: { readonly sheet: string; readonly epochs: number } | null = null,
): void => {
  const limit = runLimit(rows);
  const all = adding ? { [adding.sheet]: 0, ...runs } : runs;
  for (const [sheet, done] of Object.entries(all)) {
    const n = (done ?? 0) + (adding?.sheet === sheet ? adding.epochs : 0);
    if (n <= limit) continue;
    throw new InputError(
      adding
        ? `${sheet} has run ${done} epochs; with ${rows} rows a sheet holds at most ${limit} (a link replays them all). Press Reset to start over`
        : `${sheet} has run ${done} epochs, but with ${rows} rows a sheet holds at most ${limit} (a link replays them all). Reset ${sheet} first`,
    );
  }
};
