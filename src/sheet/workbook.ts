import type { CellValue, SimpleCellAddress } from 'hyperformula';
import { HyperFormula } from 'hyperformula';
import type { Cell } from './address.ts';
import { a1 } from './address.ts';
import type { RawCell } from './content.ts';
import { dataSheet, namedCells, optimizerSheet } from './content.ts';
import type { Dataset, DataSpec } from './data.ts';
import { datasetOf } from './data.ts';
import type { SheetEngine } from './engine.ts';
import type { CompiledModel, ModelSpec, Param } from './expression.ts';
import { compileModel } from './expression.ts';
import { HfSheet } from './hf-sheet.ts';
import type { Layout } from './layout.ts';
import { layoutOf } from './layout.ts';
import { reset, runEpoch } from './macros.ts';
import type { HyperKey, SheetDef, SheetName } from './sheets.ts';
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

/** `data`, a built-in optimizer sheet, or a user's rule sheet (any other name). */
export type AnySheet = 'data' | SheetName | (string & {});
/** The built-in workbook's sheets; a workbook's own list, user sheets included, is `allSheets()`. */
export const ALL_SHEETS: readonly AnySheet[] = ['data', ...SHEET_NAMES];

export type HyperValues = Partial<Record<string, Partial<Record<HyperKey, number>>>>;

export interface WorkbookConfig {
  readonly data: DataSpec;
  readonly model: ModelSpec;
  /** The hyperparameters the user typed, per sheet; the rest are the workbook's. */
  readonly hypers?: HyperValues;
  /** Sheets of the user's own rules (see user-sheet.ts), after the built-ins. */
  readonly userSheets?: readonly SheetDef[];
  /** The built-in sheets to build (default all five): the CLI builds only the one it runs. */
  readonly builtIns?: readonly SheetName[];
}

/** Rows a sheet is built by per step: at most a few tenths of a second at 1,000 rows. */
const BUILD_CHUNK = 100;

/**
 * The live workbook: one HyperFormula engine holding the `data` sheet and the five optimizer
 * sheets as real formulas, and the macros (Reset, Run) acting on it.
 */
export class Workbook {
  readonly hf: HyperFormula;
  #model: CompiledModel;
  #dataSpec: DataSpec;
  #data: Dataset;
  /** Every optimizer sheet's definition, built-ins first, in tab order. */
  #defs: Map<string, SheetDef>;
  #layouts: Map<string, Layout>;
  /** Start lr per sheet: what Reset restores (the user's typed value). */
  #startLr: Map<string, number>;
  /** Hyperparameters the user typed (what a link must carry). */
  #typed: Map<string, Partial<Record<HyperKey, number>>>;

  /** Set while `build` constructs a workbook whose sheets it then fills step by step. */
  static #deferFill = false;
  /** Fills the optimizer sheets and resets them: run by the constructor, or stepped by `build`. */
  #fill: Steps;

  constructor(config: WorkbookConfig) {
    this.#model = compileModel(config.model);
    this.#typed = new Map(
      Object.entries(structuredClone(config.hypers ?? {})).map(([s, h]) => [s, h ?? {}]),
    );
    this.#dataSpec = checkData(config.data);
    this.#data = datasetOf(config.data);
    this.#defs = new Map(
      [...(config.builtIns ?? SHEET_NAMES).map((s) => SHEETS[s]), ...(config.userSheets ?? [])].map(
        (d) => [d.name, d],
      ),
    );
    const statuses = new Map(
      [...this.#defs.values()].map((d) => [d.name, initialStatus(d, config.hypers?.[d.name])]),
    );
    this.#startLr = new Map([...statuses].map(([s, st]) => [s, st.hypers.lr]));
    this.#layouts = this.#layoutsFor(this.#data.x.length);
    this.hf = HyperFormula.buildFromSheets(
      Object.fromEntries(
        this.allSheets().map((s) => [s, s === 'data' ? dataSheet(this.#data) : []]),
      ),
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

  *#fillSteps(statuses: ReadonlyMap<string, SheetStatus>): Steps {
    const total = 2 * statuses.size;
    let done = 0;
    for (const [s, status] of statuses) yield* this.#sheetSteps(s, status, done++, total);
    for (const s of statuses.keys()) {
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

  /** The optimizer sheets, built-ins then the user's, in tab order. */
  sheets(): string[] {
    return [...this.#defs.keys()];
  }

  /** Every sheet: `data`, then the optimizer sheets. */
  allSheets(): AnySheet[] {
    return ['data', ...this.#defs.keys()];
  }

  /** The user's rule sheets (those with a `source`). */
  userSheets(): SheetDef[] {
    return [...this.#defs.values()].filter((d) => d.source !== undefined);
  }

  isOptimizer(sheet: AnySheet): boolean {
    return this.#defs.has(sheet);
  }

  def(sheet: AnySheet): SheetDef {
    const d = this.#defs.get(sheet);
    if (!d) throw new Error(`no optimizer sheet ${sheet}`);
    return d;
  }

  layout(sheet: AnySheet): Layout {
    const l = this.#layouts.get(sheet);
    if (!l) throw new Error(`no optimizer sheet ${sheet}`);
    return l;
  }

  startLr(sheet: AnySheet): number {
    return this.#startLr.get(sheet) ?? NaN;
  }

  #layoutsFor(n: number): Map<string, Layout> {
    return new Map([...this.#defs.values()].map((d) => [d.name, layoutOf(d, n)]));
  }

  /**
   * Writes one optimizer sheet's cells and names (its formulas follow the current layout), in
   * steps of `BUILD_CHUNK` rows: a whole sheet of 1,000 rows at once is a second or more.
   */
  *#sheetSteps(s: string, status: SheetStatus, done: number, total: number): Steps {
    const id = this.sheetId(s);
    const layout = this.layout(s);
    const content = optimizerSheet(layout, this.#model, status, true);
    const first = layout.firstRow;
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
      for (const { name, cell } of namedCells(layout)) {
        if (this.hf.isItPossibleToRemoveNamedExpression(name, id))
          this.hf.removeNamedExpression(name, id);
        this.hf.addNamedExpression(name, `='${s}'!${a1(cell, true)}`, id);
      }
    });
  }

  /** Rebuilds every sheet (after a model or row-count change), keeping typed values, in steps. */
  *#rebuild(data: Dataset, model: CompiledModel): Steps {
    const statuses = new Map(this.sheets().map((s) => [s, this.engine(s).status()]));
    this.#data = data;
    this.#model = model;
    this.#layouts = this.#layoutsFor(data.x.length);
    const total = 1 + statuses.size;
    yield { what: 'writing the data', done: 0, total };
    this.hf.setSheetContent(this.sheetId('data'), dataSheet(data));
    let done = 1;
    for (const [s, status] of statuses) yield* this.#sheetSteps(s, status, done++, total);
  }

  /**
   * Adds a user's rule sheet, or replaces the one of that name (an edited rule): built, then
   * Reset. Typed hyperparameters the new rule still has are kept; the runs start again.
   */
  *putSheetSteps(def: SheetDef): Steps {
    const old = this.#defs.get(def.name);
    if (old && old.source === undefined) throw new Error(`${def.name} is a built-in sheet`);
    const typed = this.#typed.get(def.name) ?? {};
    const kept = Object.fromEntries(
      Object.entries(typed).filter(([k]) => def.hypers.some((h) => h.key === k)),
    );
    this.#typed.set(def.name, kept);
    this.#defs.set(def.name, def);
    this.#layouts.set(def.name, layoutOf(def, this.rows));
    const status = initialStatus(def, kept);
    this.#startLr.set(def.name, status.hypers.lr);
    if (old) this.hf.setSheetContent(this.sheetId(def.name), []);
    else this.hf.addSheet(def.name);
    yield* this.#sheetSteps(def.name, status, 0, 2);
    yield { what: `resetting ${def.name}`, done: 1, total: 2 };
    this.reset(def.name);
  }

  putSheet(def: SheetDef): void {
    drain(this.putSheetSteps(def));
  }

  /** Removes a user's rule sheet. */
  removeSheet(name: string): void {
    const d = this.#defs.get(name);
    if (d?.source === undefined) throw new Error(`${name} is not a user sheet`);
    this.hf.removeSheet(this.sheetId(name));
    this.#defs.delete(name);
    this.#layouts.delete(name);
    this.#startLr.delete(name);
    this.#typed.delete(name);
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

  engine(sheet: AnySheet): SheetEngine {
    return new HfSheet(this, sheet);
  }

  /** The workbook's Reset button. */
  reset(sheet: AnySheet): void {
    reset(this.engine(sheet), this.startLr(sheet));
  }

  /** The workbook's Run button: `epochs` epochs (5). */
  run(sheet: AnySheet, epochs = 5): void {
    drain(this.runSteps(sheet, epochs));
  }

  /** `run` as steps, one an epoch. */
  *runSteps(sheet: AnySheet, epochs = 5): Steps {
    for (let k = 0; k < epochs; k++) {
      yield { what: `running ${sheet}`, done: k, total: epochs };
      runEpoch(this.engine(sheet), this.startLr(sheet));
    }
  }

  /** The hyperparameters typed so far, per sheet. */
  typedHypers(): HyperValues {
    return structuredClone(Object.fromEntries(this.#typed));
  }

  /** Run epochs done since the last Reset. */
  runsDone(sheet: AnySheet): number {
    return Math.max(0, this.history(sheet).length - 1);
  }

  history(sheet: AnySheet): readonly HistoryRow[] {
    return this.engine(sheet).status().history;
  }

  /** Sets a hyperparameter the user typed (already validated); it is also what Reset restores for lr. */
  setHyper(sheet: AnySheet, key: HyperKey, value: number): void {
    const h = this.def(sheet).hypers.find((d) => d.key === key);
    if (!h) throw new Error(`sheet ${sheet} has no ${key}`);
    if (key === 'lr') this.#startLr.set(sheet, value);
    const typed = this.#typed.get(sheet) ?? {};
    typed[key] = value;
    this.#typed.set(sheet, typed);
    this.hf.setCellContents(this.address(sheet, h.cell), value);
  }

  setTop(sheet: AnySheet, p: Param, value: number): void {
    this.hf.setCellContents(this.address(sheet, this.layout(sheet).top[p]), value);
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
