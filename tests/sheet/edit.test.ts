import { describe, expect, it } from 'vitest';
import {
  applyEdit,
  InputError,
  isEditable,
  Workbook,
  workbookData,
  workbookModel,
} from '../../src/sheet/index.ts';

const fresh = () => new Workbook({ data: workbookData, model: workbookModel });

describe('editing cells', () => {
  it('an lr edit recomputes every row and is what Reset restores', () => {
    const wb = fresh();
    const before = wb.value('basic', { row: 31, col: 2 });
    expect(applyEdit(wb, 'basic', { row: 0, col: 5 }, '2e-4')).toBe('learn = 0.0002');
    expect(wb.value('basic', { row: 31, col: 2 })).not.toBe(before);
    wb.run('basic', 2);
    wb.reset('basic');
    expect(wb.value('basic', { row: 0, col: 5 })).toBe(2e-4);
  });

  it.each([
    ['basic', 0, 5, 'abc', /the learning rate must be a number; 'abc' is not one/],
    ['basic', 0, 5, '0', /greater than 0/],
    ['momentum', 1, 3, '-0.1', /greater than 0/],
    ['momentum', 0, 9, '1', /beta1 must be in \[0, 1\)/],
    ['adam', 0, 11, '-0.5', /beta2 must be in \[0, 1\)/],
    ['basic', 5, 4, '3', /E6 is a formula \(=C6\+D6\*A6\)|E6 is a formula/],
  ] as const)('%s refuses %s at (%i,%i) = %s, changing nothing', (sheet, row, col, text, msg) => {
    const wb = fresh();
    const snapshot = wb.values(sheet);
    expect(() => applyEdit(wb, sheet, { row, col }, text)).toThrow(InputError);
    expect(() => applyEdit(wb, sheet, { row, col }, text)).toThrow(msg);
    expect(wb.values(sheet)).toEqual(snapshot);
  });

  it('a data edit on any sheet goes to the data sheet and every sheet follows', () => {
    const wb = fresh();
    applyEdit(wb, 'adam', { row: 3, col: 1 }, '60'); // y of row 1
    expect(wb.value('data', { row: 4, col: 2 })).toBe(60);
    expect(wb.value('momentum', { row: 3, col: 1 })).toBe(60);
    expect(wb.dataSpec.kind).toBe('custom');
  });

  it('editing the true slope on the data sheet recomputes y live', () => {
    const wb = fresh();
    applyEdit(wb, 'data', { row: 1, col: 2 }, '3');
    expect(wb.value('basic', { row: 3, col: 1 })).toBe(30 + 14 * 3);
  });

  it('knows which cells are inputs', () => {
    const wb = fresh();
    expect(isEditable(wb, 'basic', { row: 0, col: 5 })).toBe(true);
    expect(isEditable(wb, 'basic', { row: 0, col: 2 })).toBe(true);
    expect(isEditable(wb, 'basic', { row: 3, col: 0 })).toBe(true);
    expect(isEditable(wb, 'basic', { row: 3, col: 4 })).toBe(false);
  });

  it('a new model rebuilds the formulas: a*x^2 + b', () => {
    const wb = fresh();
    wb.setModel({ model: 'a*x^2 + b', loss: '(pred - y)^2' });
    expect(wb.formula('basic', { row: 3, col: 4 })).toBe('=D4*A4^2+C4');
    expect(wb.formula('basic', { row: 3, col: 11 })).toBe('=K4*A4^2');
    expect(wb.value('basic', { row: 3, col: 4 })).toBe(1 * 14 ** 2 + 1);
  });

  it('new data from a seed with another row count rebuilds every sheet', () => {
    const wb = fresh();
    wb.setData({ kind: 'generated', seed: 1, rows: 50, intercept: 5, slope: -1, noise: 0.5 });
    expect(wb.rows).toBe(50);
    expect(wb.layout('adam').summaryRow).toBe(53);
    expect(typeof wb.value('adam', { row: 53, col: 13 })).toBe('number');
  });
});
