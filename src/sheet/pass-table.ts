import { headerOf } from './layout.ts';
import type { SheetName } from './sheets.ts';
import type { Workbook } from './workbook.ts';

/** The rows of the current pass with their column headers, as the grid shows them. */
export const passTable = (wb: Workbook, sheet: SheetName): (string | number | null)[][] => {
  const layout = wb.layout(sheet);
  const values = wb.values(sheet);
  const rows: (string | number | null)[][] = [layout.columns.map(headerOf)];
  for (let i = 0; i < layout.n; i++) {
    const line = values[layout.firstRow + i] ?? [];
    rows.push(
      layout.columns.map((_, c) => {
        const v = line[c];
        return typeof v === 'number' || typeof v === 'string' ? v : null;
      }),
    );
  }
  return rows;
};
