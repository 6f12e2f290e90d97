import { describe, expect, it } from 'vitest';
import { workbookData, workbookX } from '../../src/sheet/data.ts';
import { workbookModel } from '../../src/sheet/expression.ts';
import { SHEETS } from '../../src/sheet/sheets.ts';
import type { SheetName } from '../../src/sheet/sheets.ts';
import { Workbook } from '../../src/sheet/workbook.ts';

const wb = new Workbook({ data: workbookData, model: workbookModel });
const at = (sheet: SheetName, address: string): number => {
  const m = /^([A-Z])(\d+)$/.exec(address);
  if (!m?.[1] || !m[2]) throw new Error(address);
  const v = wb.value(sheet, { row: Number(m[2]) - 1, col: m[1].charCodeAt(0) - 65 });
  if (typeof v !== 'number') throw new Error(`${sheet}!${address} is ${String(v)}`);
  return v;
};

describe('basic sheet: the workbook figures of docs/lesson.md §1.4', () => {
  it('row 1 (x=14, y=58, a=b=1): prediction, loss, finite differences, gradients, update', () => {
    expect(at('basic', 'A4')).toBe(14);
    expect(at('basic', 'B4')).toBe(58);
    expect(at('basic', 'E4')).toBe(15); // 1 + 1·14
    expect(at('basic', 'F4')).toBe(1849); // (58 − 15)²
    expect(at('basic', 'H4')).toBeCloseTo(-85.99, 10); // ((1.01+14−58)² − 1849)/0.01
    expect(at('basic', 'J4')).toBeCloseTo(-1202.04, 10); // ((1.01·14+1−58)² − 1849)/0.01
    expect(at('basic', 'K4')).toBe(-86); // 2·(15 − 58)
    expect(at('basic', 'L4')).toBe(-1204); // −86·14
    expect(at('basic', 'M4')).toBeCloseTo(1.1204, 12); // 1 − (−1204)·1e-4
    expect(at('basic', 'N4')).toBeCloseTo(1.0086, 12); // 1 − (−86)·1e-4
  });

  it('one epoch from (1,1): rmse 150.755, row 32 b=1.0666 a=2.5741, final 1.0715/2.6131', () => {
    expect(at('basic', 'F33')).toBeCloseTo(150.755, 3);
    expect(at('basic', 'C32')).toBeCloseTo(1.0666, 4);
    expect(at('basic', 'D32')).toBeCloseTo(2.5741, 4);
    expect(at('basic', 'N32')).toBeCloseTo(1.0715, 4);
    expect(at('basic', 'M32')).toBeCloseTo(2.6131, 4);
  });

  it('Run copies lastconst/lastslope (not the last row outputs) to the top', () => {
    const w = new Workbook({ data: workbookData, model: workbookModel });
    const lastB = at('basic', 'C32');
    const lastA = at('basic', 'D32');
    w.run('basic', 1);
    const h = w.history('basic');
    expect(h).toHaveLength(2);
    expect(h[1]?.intercept).toBe(lastB);
    expect(h[1]?.slope).toBe(lastA);
    expect(h[0]?.rmse).toBeCloseTo(150.755, 3);
  });
});

describe('sheet structure', () => {
  it('has the workbook data on every optimizer sheet, y = 2x + 30', () => {
    for (const s of Object.keys(SHEETS) as SheetName[]) {
      workbookX.forEach((x, i) => {
        expect(at(s, `A${4 + i}`)).toBe(x);
        expect(at(s, `B${4 + i}`)).toBe(2 * x + 30);
      });
    }
  });

  it('keeps hyperparameters at the workbook cells with its defaults', () => {
    expect(at('basic', 'F1')).toBe(1e-4);
    expect(at('momentum', 'D2')).toBe(1e-4);
    expect(at('momentum', 'J1')).toBe(0.9);
    expect(at('rmsprop', 'D2')).toBe(0.02);
    expect(at('rmsprop', 'J1')).toBe(0.9);
    expect(at('adam', 'D2')).toBe(1);
    expect(at('adam', 'L1')).toBe(0.9);
    expect(at('adam_ann', 'L1')).toBe(0.95);
  });

  it('writes the per-row columns as live formulas that refer to named cells', () => {
    expect(wb.formula('basic', { row: 3, col: 2 })).toBe('=const');
    expect(wb.formula('basic', { row: 4, col: 2 })).toBe('=N4');
    expect(wb.formula('basic', { row: 3, col: 10 })).toBe('=2*(E4-B4)');
    expect(wb.formula('basic', { row: 3, col: 11 })).toBe('=K4*A4');
    expect(wb.formula('basic', { row: 3, col: 13 })).toBe('=C4-K4*lr');
    expect(wb.formula('momentum', { row: 3, col: 9 })).toBe('=J33*beta_1+(1-beta_1)*F4');
    expect(wb.formula('momentum', { row: 3, col: 7 })).toBe('=C4-J4*lr');
    expect(wb.formula('rmsprop', { row: 4, col: 7 })).toBe('=C5-F5*lr/SQRT(J4)');
    expect(wb.formula('adam', { row: 3, col: 8 })).toBe('=D4-K4*lr/SQRT(M4)');
    expect(wb.formula('adam', { row: 3, col: 13 })).toBe('=(E4-B4)^2');
  });
});
