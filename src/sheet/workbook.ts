import type { CellValue, SimpleCellAddress } from 'hyperformula';
import { HyperFormula } from 'hyperformula';
import type { Cell } from './address.ts';
import { a1 } from './address.ts';
import type { RawCell } from './content.ts';
import { dataSheet, historyCells, namedCells, optimizerSheet } from './content.ts';
import type { Dataset, DataSpec } from './data.ts';
import { datasetOf } from './data.ts';
import type { SheetEngine, StateValues } from './engine.ts';
import type { CompiledModel, ModelSpec, Param } from './expression.ts';
import { compileModel, PARAMS } from './expression.ts';
import type { Layout } from './layout.ts';
import { HISTORY_COLUMNS, layoutOf, slotKey } from './layout.ts';
import { reset, runEpoch } from './macros.ts';
import type { HyperKey, SheetName } from './sheets.ts';
import { SHEET_NAMES, SHEETS } from './sheets.ts';
import type { HistoryRow, SheetStatus } from './status.ts';
import { initialStatus } from './status.ts';
import type { Steps } from './steps.ts';
import { drain } from './steps.ts';
import { checkData } from './validate.ts';

/**
 * HyperFormula settings that make the grid agree bit for bit with plain float64. Its defaults
 * (`smartRounding: true`, `precisionEpsilon: 1e-13`) round results and snap near-equal values,
 * which over 1000 Adam steps moved the slope by up to 5e-11 relative from a plain loop.
 */
export const HF_CONFIG = {
  licenseKey: 'gpl-v3',
  smartRounding: false,
  precisionEpsilon: 0,
  useColumnIndex: false,
  undoLimit: 0,
  maxRows: 100_000,
} as const;

export type AnySheet = 'data' | SheetName;
export const ALL_SHEETS: readonly AnySheet[] = ['data', ...SHEET_NAMES];

export type HyperValues = Partial<Record<SheetName, Partial<Record<HyperKey, number>>>>;

export interface WorkbookConfig {
  readonly data: DataSpec;
  readonly model: ModelSpec;
  /** The hyperparameters the user typed, per sheet; the rest are the workbook's. */
  readonly hypers?: HyperValues;
}

/** Rows a sheet is built by per step: at most a few tenths of a second at 1,000 rows. */
const BUILD_CHUNK = 100;

const num = (v: CellValue): number => (typeof v === 'number' ? v : NaN);

const sameRow = (p: HistoryRow | undefined, q: HistoryRow | undefined): boolean =>
  p !== undefined && q !== undefined && HISTORY_COLUMNS.every((k) => Object.is(p[k], q[k]));

/**
 * The live workbook: one HyperFormula engine holding the `data` sheet and the five optimizer
 * sheets as real formulas, and the macros (Reset, Run) acting on it.
 */
export class Workbook {
  readonly hf: HyperFormula;
  #model: CompiledModel;
  #dataSpec: DataSpec;
  #data: Dataset;
  #layouts: Record<SheetName, Layout>;
  /** Start lr per sheet: what Reset restores (the user's typed value). */
  #startLr: Record<SheetName, number>;
  /** Hyperparameters the user typed (what a link must carry). */
  #typed: Partial<Record<SheetName, Partial<Record<HyperKey, number>>>>;

  /** Set while `build` constructs a workbook whose sheets it then fills step by step. */
  static #deferFill = false;
  /** Fills the optimizer sheets and resets them: run by the constructor, or stepped by `build`. */
  #fill: Steps;

  constructor(config: WorkbookConfig) {
    this.#model = compileModel(config.model);
    this.#typed = structuredClone(config.hypers ?? {});
    this.#dataSpec = checkData(config.data);
    this.#data = datasetOf(config.data);
    const statuses = Object.fromEntries(
      SHEET_NAMES.map((s) => [s, initialStatus(SHEETS[s], config.hypers?.[s])]),
    ) as Record<SheetName, SheetStatus>;
    this.#startLr = Object.fromEntries(
      SHEET_NAMES.map((s) => [s, statuses[s].hypers.lr]),
    ) as Record<SheetName, number>;
    this.#layouts = this.#layoutsFor(this.#data.x.length);
    this.hf = HyperFormula.buildFromSheets(
      Object.fromEntries(ALL_SHEETS.map((s) => [s, s === 'data' ? dataSheet(this.#data) : []])),
      HF_CONFIG,
    );
    this.#fill = this.#fillSteps(statuses);
    if (!Workbook.#deferFill) drain(this.#fill);
  }

  /** The constructor as steps: one per sheet to build and one per sheet to reset. */
  static *build(config: WorkbookConfig): Steps<Workbook> {
    Workbook.#deferFill = true;
    let wb: Workbook;
    try {
      wb = new Workbook(config);
    } finally {
      Workbook.#deferFill = false;
    }
    yield* wb.#fill;
    return wb;
  }

  *#fillSteps(statuses: Record<SheetName, SheetStatus>): Steps {
    const total = 2 * SHEET_NAMES.length;
    let done = 0;
    for (const s of SHEET_NAMES) yield* this.#sheetSteps(s, statuses[s], done++, total);
    for (const s of SHEET_NAMES) {
      yield { what: `resetting ${s}`, done: done++, total };
      this.reset(s);
    }
  }

  get model(): ModelSpec {
    return this.#model.spec;
  }

  get compiledModel(): CompiledModel {
    return this.#model;
  }

  get dataSpec(): DataSpec {
    return this.#dataSpec;
  }

  get dataset(): Dataset {
    return this.#data;
  }

  get rows(): number {
    return this.#data.x.length;
  }

  layout(sheet: SheetName): Layout {
    return this.#layouts[sheet];
  }

  startLr(sheet: SheetName): number {
    return this.#startLr[sheet];
  }

  #layoutsFor(n: number): Record<SheetName, Layout> {
    return Object.fromEntries(SHEET_NAMES.map((s) => [s, layoutOf(SHEETS[s], n)])) as Record<
      SheetName,
      Layout
    >;
  }

  /**
   * Writes one optimizer sheet's cells and names (its formulas follow the current layout), in
   * steps of `BUILD_CHUNK` rows: a whole sheet of 1,000 rows at once is a second or more.
   */
  *#sheetSteps(s: SheetName, status: SheetStatus, done: number, total: number): Steps {
    const id = this.sheetId(s);
    const content = optimizerSheet(this.#layouts[s], this.#model, status, true);
    const first = this.#layouts[s].firstRow;
    yield { what: `building ${s}`, done, total };
    this.hf.batch(() => {
      this.hf.setSheetContent(id, content.slice(0, first));
    });
    for (let row = first; row < content.length; row += BUILD_CHUNK) {
      if (row > first) yield { what: `building ${s}`, done, total };
      this.hf.batch(() => {
        this.hf.setCellContents({ sheet: id, row, col: 0 }, content.slice(row, row + BUILD_CHUNK));
      });
    }
    this.hf.batch(() => {
      for (const { name, cell } of namedCells(this.#layouts[s])) {
        if (this.hf.isItPossibleToRemoveNamedExpression(name, id))
          this.hf.removeNamedExpression(name, id);
        this.hf.addNamedExpression(name, `=${s}!${a1(cell, true)}`, id);
      }
    });
  }

  /** Rebuilds every sheet (after a model or row-count change), keeping typed values, in steps. */
  *#rebuild(data: Dataset, model: CompiledModel): Steps {
    const statuses = Object.fromEntries(
      SHEET_NAMES.map((s) => [s, this.engine(s).status()]),
    ) as Record<SheetName, SheetStatus>;
    this.#data = data;
    this.#model = model;
    this.#layouts = this.#layoutsFor(data.x.length);
    const total = 1 + SHEET_NAMES.length;
    yield { what: 'writing the data', done: 0, total };
    this.hf.setSheetContent(this.sheetId('data'), dataSheet(data));
    let done = 1;
    for (const s of SHEET_NAMES) yield* this.#sheetSteps(s, statuses[s], done++, total);
  }

  sheetId(name: AnySheet): number {
    const id = this.hf.getSheetId(name);
    if (id === undefined) throw new Error(`no sheet ${name}`);
    return id;
  }

  address(sheet: AnySheet, c: Cell): SimpleCellAddress {
    return { sheet: this.sheetId(sheet), row: c.row, col: c.col };
  }

  value(sheet: AnySheet, c: Cell): CellValue {
    return this.hf.getCellValue(this.address(sheet, c));
  }

  /** The cell's formula (`=…`), or undefined for a typed value. */
  formula(sheet: AnySheet, c: Cell): string | undefined {
    return this.hf.getCellFormula(this.address(sheet, c));
  }

  values(sheet: AnySheet): CellValue[][] {
    return this.hf.getSheetValues(this.sheetId(sheet));
  }

  serialized(sheet: AnySheet): RawCell[][] {
    return this.hf.getSheetSerialized(this.sheetId(sheet)) as RawCell[][];
  }

  engine(sheet: SheetName): SheetEngine {
    return new HfSheet(this, sheet);
  }

  /** The workbook's Reset button. */
  reset(sheet: SheetName): void {
    reset(this.engine(sheet), this.#startLr[sheet]);
  }

  /** The workbook's Run button: `epochs` epochs (5). */
  run(sheet: SheetName, epochs = 5): void {
    drain(this.runSteps(sheet, epochs));
  }

  /** `run` as steps, one an epoch. */
  *runSteps(sheet: SheetName, epochs = 5): Steps {
    for (let k = 0; k < epochs; k++) {
      yield { what: `running ${sheet}`, done: k, total: epochs };
      runEpoch(this.engine(sheet));
    }
  }

  /** The hyperparameters typed so far, per sheet. */
  typedHypers(): HyperValues {
    return structuredClone(this.#typed);
  }

  /** Run epochs done since the last Reset. */
  runsDone(sheet: SheetName): number {
    return Math.max(0, this.history(sheet).length - 1);
  }

  history(sheet: SheetName): readonly HistoryRow[] {
    return this.engine(sheet).status().history;
  }

  /** Sets a hyperparameter the user typed (already validated); it is also what Reset restores for lr. */
  setHyper(sheet: SheetName, key: HyperKey, value: number): void {
    const h = SHEETS[sheet].hypers.find((d) => d.key === key);
    if (!h) throw new Error(`sheet ${sheet} has no ${key}`);
    if (key === 'lr') this.#startLr[sheet] = value;
    (this.#typed[sheet] ??= {})[key] = value;
    this.hf.setCellContents(this.address(sheet, h.cell), value);
  }

  setTop(sheet: SheetName, p: Param, value: number): void {
    this.hf.setCellContents(this.address(sheet, this.#layouts[sheet].top[p]), value);
  }

  /** Replaces the data; sheets are rebuilt if the row count changed, and every pass recomputes. */
  setData(spec: DataSpec): void {
    drain(this.setDataSteps(spec));
  }

  /** `setData` as steps, one a sheet. The spec is checked first: a refused one changes nothing. */
  *setDataSteps(spec: DataSpec): Steps {
    checkData(spec);
    const data = datasetOf(spec);
    this.#dataSpec = spec;
    if (data.x.length === this.#data.x.length) {
      this.#data = data;
      this.hf.setSheetContent(this.sheetId('data'), dataSheet(data));
    } else {
      yield* this.#rebuild(data, this.#model);
    }
  }

  /** Replaces the model and loss: the gradient columns are derived again and every formula rebuilt. */
  setModel(spec: ModelSpec): void {
    drain(this.setModelSteps(spec));
  }

  /** `setModel` as steps, one a sheet. A model that does not compile changes nothing. */
  *setModelSteps(spec: ModelSpec): Steps {
    yield* this.#rebuild(this.#data, compileModel(spec));
  }
}

/** One optimizer sheet of the live workbook, as the macros see it. */
class HfSheet implements SheetEngine {
  readonly def;
  readonly #wb: Workbook;
  readonly #layout: Layout;
  readonly #sheet: SheetName;

  constructor(wb: Workbook, sheet: SheetName) {
    this.#wb = wb;
    this.#sheet = sheet;
    this.def = SHEETS[sheet];
    this.#layout = wb.layout(sheet);
  }

  #get(c: Cell): number {
    return num(this.#wb.value(this.#sheet, c));
  }

  #slotCell(slot: string, p: Param, row: number): Cell {
    return { row, col: this.#layout.col(slotKey(slot, p)) };
  }

  status(): SheetStatus {
    const L = this.#layout;
    const hypers = Object.fromEntries(
      this.def.hypers.map((h) => [h.key, this.#get(h.cell)]),
    ) as Record<HyperKey, number>;
    const state = Object.fromEntries(
      this.def.rule.slots.map((s) => [
        s,
        {
          b: this.#get(this.#slotCell(s, 'b', L.summaryRow)),
          a: this.#get(this.#slotCell(s, 'a', L.summaryRow)),
        },
      ]),
    );
    const history: HistoryRow[] = [];
    for (let row = L.historyRow + 1; ; row++) {
      const epoch = this.#wb.value(this.#sheet, { row, col: 0 });
      if (typeof epoch !== 'number') break;
      const [rmse, lr, intercept, slope] = [1, 2, 3, 4].map((col) => this.#get({ row, col })) as [
        number,
        number,
        number,
        number,
      ];
      history.push({ epoch, rmse, lr, intercept, slope });
    }
    return {
      top: { b: this.#get(L.top.b), a: this.#get(L.top.a) },
      state,
      hypers,
      prevGrad2: L.annealing ? this.#get(L.annealing.prev) : 1,
      history,
    };
  }

  update(patch: Partial<SheetStatus>): void {
    const L = this.#layout;
    const writes: [Cell, RawCell][] = [];
    if (patch.top) for (const p of PARAMS) writes.push([L.top[p], patch.top[p]]);
    if (patch.hypers) for (const h of this.def.hypers) writes.push([h.cell, patch.hypers[h.key]]);
    if (patch.state) {
      for (const s of this.def.rule.slots) {
        for (const p of PARAMS)
          writes.push([this.#slotCell(s, p, L.summaryRow), patch.state[s]?.[p] ?? 0]);
      }
    }
    if (patch.prevGrad2 !== undefined && L.annealing)
      writes.push([L.annealing.prev, patch.prevGrad2]);
    if (patch.history) {
      // Rows already there as values stay: an epoch writes two rows, not the whole history.
      const old = this.status().history;
      const next = patch.history;
      let from = 0;
      while (from < old.length - 1 && from < next.length && sameRow(old[from], next[from])) from++;
      writes.push(...historyCells(L, next, old.length, true, from));
    }
    this.#wb.hf.batch(() => {
      for (const [c, v] of writes) this.#wb.hf.setCellContents(this.#wb.address(this.#sheet, c), v);
    });
  }

  lastInputs(): Record<Param, number> {
    const L = this.#layout;
    return {
      b: this.#get({ row: L.lastRow, col: L.col('b') }),
      a: this.#get({ row: L.lastRow, col: L.col('a') }),
    };
  }

  stateLast(): StateValues {
    const L = this.#layout;
    return Object.fromEntries(
      this.def.rule.slots.map((s) => [
        s,
        {
          b: this.#get(this.#slotCell(s, 'b', L.lastRow)),
          a: this.#get(this.#slotCell(s, 'a', L.lastRow)),
        },
      ]),
    );
  }

  rmse(): number {
    const L = this.#layout;
    return this.#get({ row: L.summaryRow, col: L.col('err') });
  }
}
