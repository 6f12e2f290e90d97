import type { AnySheet, Cell, Workbook } from '../sheet/index.ts';

/** The Sheet tab's state: the workbook, the sheet and cell shown, the long job in progress. */
export interface Session {
  workbook: Workbook | null;
  sheet: AnySheet;
  selected: Cell;
  /** A long job in progress (building, running): other commands wait for it. */
  busy: string | null;
}

export const createSession = (): Session => ({
  workbook: null,
  sheet: 'basic',
  selected: { row: 0, col: 0 },
  busy: null,
});

export const currentWorkbook = (s: Session): Workbook => {
  if (!s.workbook) throw new Error('the workbook is not built yet');
  return s.workbook;
};
