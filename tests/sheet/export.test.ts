import { HyperFormula } from 'hyperformula';
import { describe, expect, it } from 'vitest';
import {
  ALL_SHEETS,
  InputError,
  parseXY,
  Workbook,
  workbookData,
  workbookModel,
} from '../../src/sheet/index.ts';
import { toCsv } from '../../src/core/index.ts';
import { HF_CONFIG } from '../../src/sheet/workbook.ts';
import { toXlsx } from '../../src/sheet/xlsx.ts';
import { xlsxSheets } from './xlsx-sheets.ts';

describe('XLSX export', () => {
  it('writes live formulas that recompute to the same values', async () => {
    const wb = new Workbook({ data: workbookData, model: workbookModel });
    wb.run('adam_ann', 3);
    const read = await xlsxSheets(await toXlsx(wb));
    expect([...read.keys()]).toEqual([...ALL_SHEETS]);
    // Recompute the exported formulas from scratch in a fresh engine.
    const sheets = Object.fromEntries(read);
    const hf = HyperFormula.buildFromSheets(sheets, HF_CONFIG);
    expect(sheets.adam?.[3]?.[8]).toBe('=D4-K4*$D$2/SQRT(M4)');
    for (const name of ALL_SHEETS) {
      const want = wb.values(name);
      const got = hf.getSheetValues(hf.getSheetId(name) ?? -1);
      want.forEach((line, r) => {
        line.forEach((v, c) => {
          if (typeof v === 'number') expect(got[r]?.[c], `${name} ${r},${c}`).toBe(v);
        });
      });
    }
  });
});

describe('CSV', () => {
  it('quotes what needs quoting and keeps full precision', () => {
    expect(toCsv([['a,b', 'say "hi"', 0.1 + 0.2, null]])).toBe(
      '"a,b","say ""hi""",0.30000000000000004,\r\n',
    );
  });
  it('reads pasted x,y in several separators, with a header', () => {
    expect(parseXY('x\ty\n1\t2\n3\t4\n')).toEqual({ x: [1, 3], y: [2, 4] });
    expect(parseXY('1;2\n3;4')).toEqual({ x: [1, 3], y: [2, 4] });
    expect(parseXY('1 2\n 3   4 ')).toEqual({ x: [1, 3], y: [2, 4] });
  });
  it.each([
    ['1,2\n3\n', /line 2: expected two numbers/],
    ['1,2\n3,x\n', /line 2: 'x' is not a number/],
    ['1,2\n', /at least 2/],
  ])('refuses %j', (text, msg) => {
    expect(() => parseXY(text)).toThrow(InputError);
    expect(() => parseXY(text)).toThrow(msg);
  });
});
