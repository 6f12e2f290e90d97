import ExcelJS from 'exceljs';
import { dataSheet, optimizerSheet } from './content.ts';
import type { Grid } from './content.ts';
import type { AnySheet, Workbook } from './workbook.ts';

/**
 * The whole workbook as XLSX with live formulas, so Excel (or LibreOffice) recomputes it.
 * Names such as `lr` exist on every sheet, which one workbook-wide Excel name cannot express,
 * so formulas use absolute addresses (`$D$2`) here; each cell also carries its current value.
 */
export const toXlsx = async (wb: Workbook): Promise<ArrayBuffer> => {
  const book = new ExcelJS.Workbook();
  book.creator = 'gradsheet';
  const grids = new Map<AnySheet, Grid>([['data', dataSheet(wb.dataset)]]);
  for (const s of wb.sheets())
    grids.set(s, optimizerSheet(wb.layout(s), wb.compiledModel, wb.engine(s).status(), false));
  for (const [name, grid] of grids) {
    const ws = book.addWorksheet(name);
    const values = wb.values(name);
    grid.forEach((line, r) => {
      line.forEach((raw, c) => {
        if (raw === null) return;
        const cell = ws.getCell(r + 1, c + 1);
        if (typeof raw === 'string' && raw.startsWith('=')) {
          const v = values[r]?.[c];
          cell.value = { formula: raw.slice(1), result: typeof v === 'number' ? v : 0 };
        } else {
          cell.value = raw;
        }
      });
    });
    ws.getRow(name === 'data' ? 4 : 3).font = { bold: true };
    ws.columns.forEach((col) => {
      col.width = 12;
    });
  }
  return await book.xlsx.writeBuffer();
};
