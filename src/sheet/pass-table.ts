import type { CellValue } from 'hyperformula';
import { DATA_FIRST_ROW } from './content.ts';
import { headerOf } from './layout.ts';
import type { AnySheet, Workbook } from './workbook.ts';

type TableCell = string | number | null;

/** Numbers and text as they are; an error value as its code (`#DIV/0!`), so the file shows it. */
const plain = (v: CellValue | undefined): TableCell =>
  typeof v === 'number' || typeof v === 'string'
    ? v
    : typeof v === 'object' && v !== null
      ? v.value
      : null;

/**
 * A sheet as a clean table, what both the CLI's `--csv` and the Export CSV button write: a
 * header line, then one line per data row (the current pass on an optimizer sheet; x and y on
 * `data`), and nothing else: no hyperparameters, totals, history or padding.
 */
export const passTable = (wb: Workbook, sheet: AnySheet): TableCell[][] => {
  const values = wb.values(sheet);
  if (sheet === 'data') {
    return [
      ['x', 'y'],
      ...Array.from({ length: wb.rows }, (_, i) => {
        const line = values[DATA_FIRST_ROW + i] ?? [];
        return [plain(line[1]), plain(line[2])];
      }),
    ];
  }
  const layout = wb.layout(sheet);
  const rows: TableCell[][] = [layout.columns.map(headerOf)];
  for (let i = 0; i < layout.n; i++) {
    const line = values[layout.firstRow + i] ?? [];
    rows.push(layout.columns.map((_, c) => plain(line[c])));
  }
  return rows;
};
