import type { Formula } from '../optimizers/index.ts';
import { formulaOps, ref, toCell } from '../optimizers/index.ts';
import type { Cell } from './address.ts';
import { a1, colLetter } from './address.ts';
import type { Dataset } from './data.ts';
import type { CompiledModel, Param } from './expression.ts';
import { PARAMS } from './expression.ts';
import type { Layout } from './layout.ts';
import { HISTORY_COLUMNS, gradKey, headerOf, slotKey } from './layout.ts';
import { buildPass } from './pass.ts';
import type { HyperKey } from './sheets.ts';
import type { HistoryRow, SheetStatus } from './status.ts';

export type RawCell = string | number | null;
export type Grid = RawCell[][];

/** First data row of the `data` sheet (the workbook's B5:C33). */
export const DATA_FIRST_ROW = 4;

/** A named cell: workbook names such as `lr`, `const`, `lastslope`. */
export interface NamedCell {
  readonly name: string;
  readonly cell: Cell;
}

const put = (grid: Grid, { row, col }: Cell, v: RawCell): void => {
  while (grid.length <= row) grid.push([]);
  const line = grid[row] ?? [];
  while (line.length < col) line.push(null);
  line[col] = v;
  grid[row] = line;
};

/** Names of an optimizer sheet: what its formulas and the macros refer to. */
export const namedCells = (layout: Layout): NamedCell[] => {
  const { def, top, lastRow, summaryRow } = layout;
  const names: NamedCell[] = [
    { name: 'const', cell: top.b },
    { name: 'slope', cell: top.a },
    ...def.hypers.map((h) => ({ name: h.name, cell: h.cell })),
    { name: 'lastconst', cell: { row: lastRow, col: layout.col('b') } },
    { name: 'lastslope', cell: { row: lastRow, col: layout.col('a') } },
    { name: 'rmse', cell: { row: summaryRow, col: layout.col('err') } },
  ];
  if (layout.annealing) {
    names.push(
      { name: 'avg_grad2', cell: layout.annealing.avg },
      { name: 'prev_grad2', cell: layout.annealing.prev },
      { name: 'gradrat', cell: layout.annealing.ratio },
    );
  }
  return names;
};

/**
 * An optimizer sheet's cells. With `useNames` formulas say `lr` and `const` (the grid);
 * without, `$D$2` and `$C$1` (the XLSX export, where one workbook-wide name cannot serve
 * five sheets).
 */
export const optimizerSheet = (
  layout: Layout,
  model: CompiledModel,
  status: SheetStatus,
  useNames: boolean,
): Grid => {
  const { def, firstRow, summaryRow, n } = layout;
  const grid: Grid = [];
  const named = (name: string, c: Cell): Formula => ref(useNames ? name : a1(c, true));
  put(grid, { row: 0, col: 1 }, 'const');
  put(grid, { row: 1, col: 1 }, 'slope');
  put(grid, layout.top.b, status.top.b);
  put(grid, layout.top.a, status.top.a);
  const hyperCell = new Map<string, Formula>();
  for (const h of def.hypers) {
    put(grid, h.labelCell, h.label);
    put(grid, h.cell, status.hypers[h.key] ?? null);
    hyperCell.set(h.key, named(h.name, h.cell));
  }
  layout.columns.forEach((k, col) => {
    put(grid, { row: firstRow - 1, col }, headerOf(k));
  });
  const at = (i: number, key: Parameters<Layout['col']>[0]): Cell => ({
    row: firstRow + i,
    col: layout.col(key),
  });
  for (let i = 0; i < n; i++) {
    put(grid, at(i, 'x'), `=data!B${DATA_FIRST_ROW + 1 + i}`);
    put(grid, at(i, 'y'), `=data!C${DATA_FIRST_ROW + 1 + i}`);
  }
  buildPass(formulaOps, def, model, n, {
    cell: (i, key, value) => {
      const c = at(i, key);
      put(grid, c, toCell(value));
      return ref(a1(c));
    },
    x: (i) => ref(a1(at(i, 'x'))),
    y: (i) => ref(a1(at(i, 'y'))),
    top: (p: Param) => named(p === 'b' ? 'const' : 'slope', layout.top[p]),
    hyper: (key: HyperKey) => {
      const f = hyperCell.get(key);
      if (!f) throw new Error(`sheet ${def.name} has no hyperparameter ${key}`);
      return f;
    },
    stateIn: (slot, p) => ref(a1({ row: summaryRow, col: layout.col(slotKey(slot, p)) })),
  });
  // Summary row: totals, and the state carried into the next pass.
  const range = (key: Parameters<Layout['col']>[0]): string =>
    `${colLetter(layout.col(key))}${firstRow + 1}:${colLetter(layout.col(key))}${summaryRow}`;
  const sumRow = summaryRow;
  put(grid, { row: sumRow, col: 0 }, 'totals, state in');
  put(grid, { row: sumRow, col: layout.col('err') }, `=SQRT(SUM(${range('err')}))`);
  put(grid, { row: sumRow + 1, col: layout.col('err') }, 'rmse');
  for (const p of PARAMS) {
    put(grid, { row: sumRow, col: layout.col(gradKey(p)) }, `=SQRT(SUMSQ(${range(gradKey(p))}))`);
    put(grid, { row: sumRow + 1, col: layout.col(gradKey(p)) }, 'histgrad');
    for (const s of def.rule.slots) {
      put(grid, { row: sumRow, col: layout.col(slotKey(s, p)) }, status.state[s]?.[p] ?? 0);
      put(grid, { row: sumRow + 1, col: layout.col(slotKey(s, p)) }, 'state in');
    }
  }
  if (layout.annealing) {
    const { avg, prev, ratio } = layout.annealing;
    const sqrAt = (p: Param): string => a1({ row: summaryRow, col: layout.col(slotKey('sqr', p)) });
    put(grid, avg, `=SQRT(${sqrAt('b')})+SQRT(${sqrAt('a')})`);
    put(grid, prev, status.prevGrad2);
    put(grid, ratio, `=${a1(avg)}/${a1(prev)}`);
    put(grid, { row: sumRow + 1, col: avg.col }, 'avg_grad2');
    put(grid, { row: sumRow + 1, col: prev.col }, 'prev_grad2');
    put(grid, { row: sumRow + 1, col: ratio.col }, 'gradrat');
  }
  HISTORY_COLUMNS.forEach((h, col) => {
    put(grid, { row: layout.historyRow, col }, h);
  });
  for (const [c, v] of historyCells(layout, status.history, 0, useNames)) put(grid, c, v);
  return grid;
};

/**
 * The history block's cells. Past passes are values, pasted as the macro does; the newest
 * row is the pass on the sheet now, so it stays live (`=rmse`, `=lr`, `=const`, `=slope`) and
 * follows every edit. `clearTo` blanks rows left over from a longer history; rows before `from`
 * are left out (they are on the sheet already).
 */
export const historyCells = (
  layout: Layout,
  history: readonly HistoryRow[],
  clearTo: number,
  useNames: boolean,
  from = 0,
): [Cell, RawCell][] => {
  const out: [Cell, RawCell][] = [];
  const lr = layout.def.hypers.find((h) => h.key === 'lr');
  const live = (name: string, c: Cell): string => `=${useNames ? name : a1(c, true)}`;
  const rmseCell = { row: layout.summaryRow, col: layout.col('err') };
  for (let i = from; i < Math.max(history.length, clearTo); i++) {
    const r = history[i];
    const row = layout.historyRow + 1 + i;
    const vals: RawCell[] = !r
      ? [null, null, null, null, null]
      : i < history.length - 1 || !lr
        ? [r.epoch, r.rmse, r.lr, r.intercept, r.slope]
        : [
            r.epoch,
            live('rmse', rmseCell),
            live('lr', lr.cell),
            live('const', layout.top.b),
            live('slope', layout.top.a),
          ];
    vals.forEach((v, col) => out.push([{ row, col }, v]));
  }
  return out;
};

/** The `data` sheet: true intercept and slope, then x and y (y as live formulas where it can be). */
export const dataSheet = (d: Dataset): Grid => {
  const grid: Grid = [];
  const line = d.line;
  put(grid, { row: 0, col: 1 }, 'const');
  put(grid, { row: 1, col: 1 }, 'slope');
  put(grid, { row: 0, col: 2 }, line ? line.intercept : null);
  put(grid, { row: 1, col: 2 }, line ? line.slope : null);
  put(grid, { row: DATA_FIRST_ROW - 1, col: 1 }, 'x');
  put(grid, { row: DATA_FIRST_ROW - 1, col: 2 }, 'y');
  if (line?.noise) put(grid, { row: DATA_FIRST_ROW - 1, col: 3 }, 'noise');
  d.x.forEach((x, i) => {
    const row = DATA_FIRST_ROW + i;
    put(grid, { row, col: 1 }, x);
    if (!line) {
      put(grid, { row, col: 2 }, d.y?.[i] ?? null);
    } else if (line.noise) {
      put(grid, { row, col: 2 }, `=$C$1+B${row + 1}*$C$2+D${row + 1}`);
      put(grid, { row, col: 3 }, line.noise[i] ?? 0);
    } else {
      put(grid, { row, col: 2 }, `=$C$1+B${row + 1}*$C$2`);
    }
  });
  return grid;
};
