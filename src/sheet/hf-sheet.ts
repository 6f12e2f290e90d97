import type { CellValue, HyperFormula, SimpleCellAddress } from 'hyperformula';
import type { Cell } from './address.ts';
import type { RawCell } from './content.ts';
import { historyCells } from './content.ts';
import type { SheetEngine, StateValues } from './engine.ts';
import type { Param } from './expression.ts';
import { PARAMS } from './expression.ts';
import type { Layout } from './layout.ts';
import { gradKey, HISTORY_COLUMNS, slotKey } from './layout.ts';
import type { SheetDef } from './sheets.ts';
import type { HistoryRow, HyperNumbers, SheetStatus } from './status.ts';

/** What a sheet engine reads and writes of the live workbook (the `Workbook` class). */
export interface SheetCells {
  readonly hf: HyperFormula;
  def(sheet: string): SheetDef;
  layout(sheet: string): Layout;
  value(sheet: string, c: Cell): CellValue;
  address(sheet: string, c: Cell): SimpleCellAddress;
}

const num = (v: CellValue): number => (typeof v === 'number' ? v : NaN);

const sameRow = (p: HistoryRow | undefined, q: HistoryRow | undefined): boolean =>
  p !== undefined && q !== undefined && HISTORY_COLUMNS.every((k) => Object.is(p[k], q[k]));

/** One optimizer sheet of the live workbook, as the macros see it. */
export class HfSheet implements SheetEngine {
  readonly def;
  readonly #wb: SheetCells;
  readonly #layout: Layout;
  readonly #sheet: string;

  constructor(wb: SheetCells, sheet: string) {
    this.#wb = wb;
    this.#sheet = sheet;
    this.def = wb.def(sheet);
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
    const hypers: HyperNumbers = {
      lr: NaN,
      ...Object.fromEntries(this.def.hypers.map((h) => [h.key, this.#get(h.cell)])),
    };
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
    if (patch.hypers)
      for (const h of this.def.hypers) writes.push([h.cell, patch.hypers[h.key] ?? null]);
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

  firstGrads(): Record<Param, number> {
    const L = this.#layout;
    return {
      b: this.#get({ row: L.firstRow, col: L.col(gradKey('b')) }),
      a: this.#get({ row: L.firstRow, col: L.col(gradKey('a')) }),
    };
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
