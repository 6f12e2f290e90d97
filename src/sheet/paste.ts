import { InputError } from './errors.ts';
import { MAX_ROWS } from './limits.ts';
import { checkMagnitude } from './validate.ts';

/**
 * Reads pasted x,y pairs: two numbers a line, separated by a comma, tab, semicolon or
 * spaces; a header line is skipped. Errors name the line and what is wrong; more than
 * `MAX_ROWS` rows are refused as a whole, so nothing pasted is silently cut.
 */
export const parseXY = (text: string): { x: number[]; y: number[] } => {
  const x: number[] = [];
  const y: number[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, idx) => {
    const line = raw.trim();
    if (line === '') return;
    const parts = line
      .split(/[,\t;]|\s+/)
      .map((p) => p.trim())
      .filter((p) => p !== '');
    const nums = parts.map(Number);
    if (idx === 0 && nums.some((n) => Number.isNaN(n))) return; // header
    if (parts.length !== 2)
      throw new InputError(
        `line ${idx + 1}: expected two numbers (x, y), found ${parts.length} field(s): '${line}'`,
      );
    const bad = parts.find((p, i) => !Number.isFinite(nums[i]));
    if (bad !== undefined) throw new InputError(`line ${idx + 1}: '${bad}' is not a number`);
    try {
      nums.forEach((v, i) => checkMagnitude(v, i === 0 ? 'x' : 'y'));
    } catch (err) {
      throw new InputError(`line ${idx + 1}: ${(err as Error).message}`);
    }
    x.push(nums[0] ?? NaN);
    y.push(nums[1] ?? NaN);
  });
  if (x.length < 2) throw new InputError(`need at least 2 x,y rows, found ${x.length}`);
  if (x.length > MAX_ROWS)
    throw new InputError(
      `${x.length} x,y rows: at most ${MAX_ROWS} fit in a sheet (and in its link); nothing was changed`,
    );
  return { x, y };
};
