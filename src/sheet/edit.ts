import type { Cell } from './address.ts';
import { a1 } from './address.ts';
import { DATA_FIRST_ROW } from './content.ts';
import { yValues } from './data.ts';
import { InputError } from './errors.ts';
import { PARAMS } from './expression.ts';
import { isSheetName, SHEETS } from './sheets.ts';
import { parseHyper, parseNumber } from './validate.ts';
import type { AnySheet, Workbook } from './workbook.ts';

const same = (a: Cell, b: Cell): boolean => a.row === b.row && a.col === b.col;

/** Which cells a user may type into: hyperparameters, the start guesses and the data. */
export const isEditable = (wb: Workbook, sheet: AnySheet, c: Cell): boolean => {
  if (sheet === 'data') return dataRole(wb, c) !== null;
  const layout = wb.layout(sheet);
  if (SHEETS[sheet].hypers.some((h) => same(h.cell, c))) return true;
  if (PARAMS.some((p) => same(layout.top[p], c))) return true;
  const i = c.row - layout.firstRow;
  return i >= 0 && i < layout.n && (c.col === layout.col('x') || c.col === layout.col('y'));
};

type DataRole =
  { kind: 'line'; field: 'intercept' | 'slope' } | { kind: 'point'; i: number; field: 'x' | 'y' };

const dataRole = (wb: Workbook, c: Cell): DataRole | null => {
  if (c.col === 2 && (c.row === 0 || c.row === 1) && wb.dataSpec.kind !== 'custom') {
    return { kind: 'line', field: c.row === 0 ? 'intercept' : 'slope' };
  }
  const i = c.row - DATA_FIRST_ROW;
  if (i >= 0 && i < wb.rows && (c.col === 1 || c.col === 2))
    return { kind: 'point', i, field: c.col === 1 ? 'x' : 'y' };
  return null;
};

const editData = (wb: Workbook, role: DataRole, text: string): string => {
  if (role.kind === 'line') {
    const spec = wb.dataSpec;
    const v = parseNumber(text, `the true ${role.field}`);
    if (spec.kind !== 'custom') wb.setData({ ...spec, [role.field]: v });
    return `true ${role.field} set to ${v}; y recomputed`;
  }
  const v = parseNumber(text, role.field);
  const x = [...wb.dataset.x];
  const y = yValues(wb.dataset);
  (role.field === 'x' ? x : y)[role.i] = v;
  const wasCustom = wb.dataSpec.kind === 'custom';
  wb.setData({ kind: 'custom', x, y });
  return `${role.field}${role.i + 1} set to ${v}${wasCustom ? '' : '; the data are now your own (y no longer follows the line)'}`;
};

/**
 * Applies what the user typed into a cell, or throws `InputError` saying why it is refused.
 * Nothing changes on a refusal. Returns a short note of what changed.
 */
export const applyEdit = (wb: Workbook, sheet: AnySheet, c: Cell, text: string): string => {
  if (sheet === 'data') {
    const role = dataRole(wb, c);
    if (!role)
      throw new InputError(
        `data!${a1(c)} cannot be edited: type x and y values in columns B and C`,
      );
    return editData(wb, role, text);
  }
  if (!isSheetName(sheet)) throw new InputError(`no sheet ${String(sheet)}`);
  const def = SHEETS[sheet];
  const hyper = def.hypers.find((h) => same(h.cell, c));
  if (hyper) {
    const v = parseHyper(hyper.key, text);
    wb.setHyper(sheet, hyper.key, v);
    return `${hyper.label} = ${v}`;
  }
  const layout = wb.layout(sheet);
  for (const p of PARAMS) {
    if (same(layout.top[p], c)) {
      const v = parseNumber(text, p === 'b' ? 'the intercept' : 'the slope');
      wb.setTop(sheet, p, v);
      return `${p === 'b' ? 'const' : 'slope'} = ${v}`;
    }
  }
  const i = c.row - layout.firstRow;
  if (i >= 0 && i < layout.n && (c.col === layout.col('x') || c.col === layout.col('y'))) {
    return editData(wb, { kind: 'point', i, field: c.col === layout.col('x') ? 'x' : 'y' }, text);
  }
  const formula = wb.formula(sheet, c);
  throw new InputError(
    formula
      ? `${a1(c)} is a formula (${formula}): it follows from the hyperparameters and data. Edit the yellow cells.`
      : `${a1(c)} is not an input. Edit the yellow cells: hyperparameters, const/slope, x and y.`,
  );
};
