import ExcelJS from 'exceljs';

export type Grid = (string | number | null)[][];

/**
 * An exported workbook read back as HyperFormula takes it: per sheet, in file order, its cells by
 * row, a formula as `=…` text, an empty cell as null.
 */
export const xlsxSheets = async (file: ArrayBuffer): Promise<Map<string, Grid>> => {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(file);
  const sheets = new Map<string, Grid>();
  for (const ws of book.worksheets) {
    const grid: Grid = [];
    ws.eachRow({ includeEmpty: true }, (row, r) => {
      const line: (string | number | null)[] = [];
      row.eachCell({ includeEmpty: true }, (c, col) => {
        const v = c.value;
        line[col - 1] =
          v && typeof v === 'object' && 'formula' in v
            ? `=${v.formula}`
            : (v as string | number | null);
      });
      grid[r - 1] = line;
    });
    sheets.set(
      ws.name,
      Array.from(grid, (l: (string | number | null)[] | undefined) =>
        Array.from(l ?? [], (v) => v ?? null),
      ),
    );
  }
  return sheets;
};
