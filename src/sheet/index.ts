export type { Cell } from './address.ts';
export { a1, cell, colLetter } from './address.ts';
export type { DataSpec, Dataset } from './data.ts';
export { datasetOf, rowCount, workbookData, workbookX, yValues } from './data.ts';
export { MAX_MAGNITUDE, MAX_ROW_EPOCHS, MAX_ROWS, MAX_RUNS, runLimit } from './limits.ts';
export { InputError } from './errors.ts';
export type { CompiledModel, ModelSpec, Param } from './expression.ts';
export { compileModel, PARAMS, workbookModel } from './expression.ts';
export type { Layout, ColumnKey } from './layout.ts';
export { headerOf, HISTORY_COLUMNS } from './layout.ts';
export type { HyperDef, HyperKey, SheetDef, SheetName } from './sheets.ts';
export { isSheetName, SHEET_NAMES, SHEETS } from './sheets.ts';
export type { HistoryRow, SheetStatus } from './status.ts';
export type { AnySheet, HyperValues, WorkbookConfig } from './workbook.ts';
export { ALL_SHEETS, Workbook } from './workbook.ts';
export type { EditOutcome } from './edit.ts';
export { applyEdit, applyEdits, isEditable } from './edit.ts';
export {
  checkData,
  checkRows,
  checkRuns,
  parseHyper,
  parseNumber,
  parseValue,
} from './validate.ts';
export { parseXY } from './paste.ts';
export type { AppState } from './url-state.ts';
export { defaultState, formatState, parseState } from './url-state.ts';
export type { LossGrid, Range } from './contour.ts';
export { lossGrid, span, totalLoss } from './contour.ts';
export { passTable } from './pass-table.ts';
export { diagnose } from './faults.ts';
export type { Progress, Steps } from './steps.ts';
export { drain } from './steps.ts';
export type { UserRule } from './url-state.ts';
export {
  cellName,
  checkSheetName,
  epochSchedule,
  MAX_SCHEDULE_EPOCHS,
  MAX_USER_SHEETS,
  userSheetDef,
} from './user-sheet.ts';
