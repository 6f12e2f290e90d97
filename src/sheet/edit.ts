import type { Cell } from './address.ts';
import { a1 } from './address.ts';
import { DATA_FIRST_ROW } from './content.ts';
import { yValues } from './data.ts';
import { InputError } from './errors.ts';
import { PARAMS } from './expression.ts';
import { parseHyper, parseValue } from './validate.ts';
import type { AnySheet, Workbook } from './workbook.ts';

const same = (a: Cell, b: Cell): boolean => a.row === b.row && a.col === b.col;

/** Which cells a user may type into: hyperparameters, the start guesses and the data. */
export const isEditable = (wb: Workbook, sheet: AnySheet, c: Cell): boolean => {
  if (sheet === 'data') return dataRole(wb, c) !== null;
  const layout = wb.layout(sheet);
  if (wb.def(sheet).hypers.some((h) => same(h.cell, c))) return true;
  if (PARAMS.some((p) => same(layout.top[p], c))) return true;
  const i = c.row - layout.firstRow;
  return i >= 0 && i < layout.n && (c.col === layout.col('x') || c.col === layout.col('y'));
};

interface Point {
  readonly i: number;
  readonly field: 'x' | 'y';
}
type DataRole = { kind: 'line'; field: 'intercept' | 'slope' } | ({ kind: 'point' } & Point);

const dataRole = (wb: Workbook, c: Cell): DataRole | null => {
  if (c.col === 2 && (c.row === 0 || c.row === 1) && wb.dataSpec.kind !== 'custom') {
    return { kind: 'line', field: c.row === 0 ? 'intercept' : 'slope' };
  }
  const i = c.row - DATA_FIRST_ROW;
  if (i >= 0 && i < wb.rows && (c.col === 1 || c.col === 2))
    return { kind: 'point', i, field: c.col === 1 ? 'x' : 'y' };
  return null;
};

/** An x or y value to write: point edits are gathered and written to the data in one go. */
type PointEdit = Point & { readonly value: number };

/** Checks one edit; applies it unless it is a point edit, which is returned for the batch. */
const prepare = (wb: Workbook, sheet: AnySheet, c: Cell, text: string): string | PointEdit => {
  if (sheet === 'data') {
    const role = dataRole(wb, c);
    if (!role)
      throw new InputError(
        `data!${a1(c)} cannot be edited: type x and y values in columns B and C`,
      );
    if (role.kind === 'point') return { ...role, value: parseValue(text, role.field) };
    const spec = wb.dataSpec;
    const v = parseValue(text, `the true ${role.field}`);
    if (spec.kind !== 'custom') wb.setData({ ...spec, [role.field]: v });
    return `true ${role.field} set to ${v}; y recomputed`;
  }
  if (!wb.isOptimizer(sheet)) throw new InputError(`no sheet ${String(sheet)}`);
  const def = wb.def(sheet);
  const hyper = def.hypers.find((h) => same(h.cell, c));
  if (hyper) {
    const v = parseHyper(hyper.key, text);
    wb.setHyper(sheet, hyper.key, v);
    return `${hyper.label} = ${v}`;
  }
  const layout = wb.layout(sheet);
  for (const p of PARAMS) {
    if (same(layout.top[p], c)) {
      const v = parseValue(text, p === 'b' ? 'the intercept' : 'the slope');
      wb.setTop(sheet, p, v);
      return `${p === 'b' ? 'const' : 'slope'} = ${v}`;
    }
  }
  const i = c.row - layout.firstRow;
  if (i >= 0 && i < layout.n && (c.col === layout.col('x') || c.col === layout.col('y'))) {
    const field = c.col === layout.col('x') ? 'x' : 'y';
    return { i, field, value: parseValue(text, field) };
  }
  const formula = wb.formula(sheet, c);
  throw new InputError(
    formula
      ? `${a1(c)} is a formula (${formula}): it follows from the hyperparameters and data. Edit the yellow cells.`
      : `${a1(c)} is not an input. Edit the yellow cells: hyperparameters, const/slope, x and y.`,
  );
};

/** Writes x and y values to the data at once: one recompute however many were pasted. */
const writePoints = (wb: Workbook, points: readonly PointEdit[]): string => {
  const x = [...wb.dataset.x];
  const y = yValues(wb.dataset);
  for (const p of points) (p.field === 'x' ? x : y)[p.i] = p.value;
  const wasCustom = wb.dataSpec.kind === 'custom';
  wb.setData({ kind: 'custom', x, y });
  const what =
    points.length === 1 && points[0]
      ? `${points[0].field}${points[0].i + 1} set to ${points[0].value}`
      : `${points.length} x/y values set`;
  return `${what}${wasCustom ? '' : '; the data are now your own (y no longer follows the line)'}`;
};

export interface EditOutcome {
  /** What changed, one short note per change. */
  readonly notes: string[];
  /** Each refused edit with why; nothing of it was written. */
  readonly refused: { readonly cell: Cell; readonly message: string }[];
}

/**
 * Applies what the user typed or pasted into cells. Each refused edit is named with its reason
 * and changes nothing; the others are applied, all x/y values in one data update.
 */
export const applyEdits = (
  wb: Workbook,
  sheet: AnySheet,
  edits: readonly { readonly cell: Cell; readonly text: string }[],
): EditOutcome => {
  const notes: string[] = [];
  const refused: { cell: Cell; message: string }[] = [];
  const points: PointEdit[] = [];
  for (const { cell, text } of edits) {
    try {
      const r = prepare(wb, sheet, cell, text);
      if (typeof r === 'string') notes.push(r);
      else points.push(r);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      refused.push({ cell, message: err.message });
    }
  }
  if (points.length) notes.push(writePoints(wb, points));
  return { notes, refused };
};

/**
 * Applies what the user typed into a cell, or throws `InputError` saying why it is refused.
 * Nothing changes on a refusal. Returns a short note of what changed.
 */
export const applyEdit = (wb: Workbook, sheet: AnySheet, c: Cell, text: string): string => {
  const { notes, refused } = applyEdits(wb, sheet, [{ cell: c, text }]);
  if (refused[0]) throw new InputError(refused[0].message);
  return notes.join(' · ');
};
