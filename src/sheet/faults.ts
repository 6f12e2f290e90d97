import type { CellValue } from 'hyperformula';
import { a1 } from './address.ts';
import { DATA_FIRST_ROW } from './content.ts';
import { headerOf } from './layout.ts';
import type { AnySheet, Workbook } from './workbook.ts';

/** Squared error growing this much along one pass, or rmse this much over epochs: divergence. */
export const PASS_GROWTH = 1e6;
export const EPOCH_GROWTH = 1e3;

const errorOf = (v: CellValue): string | null =>
  typeof v === 'object' && v !== null && 'value' in v ? v.value : null;

const short = (v: number): string =>
  Math.abs(v) >= 1e6 ? v.toExponential(2) : String(Number(v.toPrecision(4)));

const why = (error: string, lr: string, userRule = false): string => {
  if (error === '#DIV/0!')
    return userRule
      ? 'a division by zero: your rule, the model or the loss divides by something that is 0 here (a state that starts at 0?). Change the rule, the model or loss, or the data'
      : 'a division by zero: the model or loss divides by something that is 0 here. Change the model or loss, or the data';
  if (error === '#NUM!')
    return `a number past the largest double (about 1.8e308), or the root or log of a negative. ${lr}`;
  return 'the formula cannot be computed. Check the model and loss';
};

/**
 * What went wrong on a sheet after a recompute, in the user's words with what to try, or null
 * when every value is a number and the fit does not run away. Looks for the first error value
 * (`#NUM!`, `#DIV/0!`, …), then for divergence: squared error growing a millionfold along the
 * pass, or rmse a thousandfold over the run epochs.
 */
export const diagnose = (wb: Workbook, sheet: AnySheet): string | null => {
  const values = wb.values(sheet);
  if (!wb.isOptimizer(sheet)) {
    for (let row = DATA_FIRST_ROW; row < DATA_FIRST_ROW + wb.rows; row++) {
      for (const [col, v] of (values[row] ?? []).entries()) {
        const e = errorOf(v);
        if (e) return `data!${a1({ row, col })} is ${e}: ${why(e, 'Use smaller values')}`;
      }
    }
    return null;
  }
  const layout = wb.layout(sheet);
  const lrDef = wb.def(sheet).hypers.find((h) => h.key === 'lr');
  const lr = lrDef ? wb.value(sheet, lrDef.cell) : null;
  const lowerLr = `Lower lr (now ${typeof lr === 'number' ? lr : '?'})`;
  for (let row = layout.firstRow; row <= layout.summaryRow; row++) {
    for (const [col, v] of (values[row] ?? []).entries()) {
      const e = errorOf(v);
      if (!e) continue;
      const column = layout.columns[col];
      const where =
        row < layout.summaryRow
          ? `${column ? headerOf(column) : 'column ' + String(col)}, data row ${row - layout.firstRow + 1}`
          : 'the totals row';
      return `${sheet}!${a1({ row, col })} (${where}) is ${e}: ${why(e, lowerLr, wb.def(sheet).source !== undefined)}`;
    }
  }
  const errCol = layout.col('err');
  const err = (row: number): number => {
    const v = values[row]?.[errCol];
    return typeof v === 'number' ? v : NaN;
  };
  const first = err(layout.firstRow);
  let worst = first;
  for (let row = layout.firstRow; row <= layout.lastRow; row++) worst = Math.max(worst, err(row));
  if (first > 0 && worst > PASS_GROWTH * first)
    return `${sheet}: the fit diverges: the squared error grows from ${short(first)} to ${short(worst)} along the pass. ${lowerLr}`;
  const history = wb.history(sheet);
  const best = Math.min(...history.map((h) => h.rmse));
  const last = history.at(-1)?.rmse ?? NaN;
  if (best > 0 && last > EPOCH_GROWTH * best)
    return `${sheet}: the fit diverges: rmse grows from ${short(best)} to ${short(last)} over the run epochs. ${lowerLr}`;
  return null;
};
