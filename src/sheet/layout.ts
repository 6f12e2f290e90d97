import type { Param } from './expression.ts';
import { PARAMS } from './expression.ts';
import type { Cell } from './address.ts';
import type { SheetDef } from './sheets.ts';

/** The per-row columns of an optimizer sheet. */
export type ColumnKey =
  | 'x'
  | 'y'
  | 'b'
  | 'a'
  | 'pred'
  | 'err'
  | 'errb'
  | 'estb'
  | 'erra'
  | 'esta'
  | 'gb'
  | 'ga'
  | 'newb'
  | 'newa'
  | `${string}_${Param}`;

export const gradKey = (p: Param): ColumnKey => (p === 'b' ? 'gb' : 'ga');
export const newKey = (p: Param): ColumnKey => (p === 'b' ? 'newb' : 'newa');
export const slotKey = (slot: string, p: Param): ColumnKey => `${slot}_${p}`;

const HEADERS: Readonly<Record<string, string>> = {
  x: 'x',
  y: 'y',
  b: 'intercept b',
  a: 'slope a',
  pred: 'y_pred',
  err: 'err^2',
  errb: 'errb1',
  estb: 'est de/db',
  erra: 'erra1',
  esta: 'est de/da',
  gb: 'de/db',
  ga: 'de/da',
  newb: 'new b',
  newa: 'new a',
};

const SLOT_HEADERS: Readonly<Record<string, string>> = { avg: 'avg', sqr: 'sqr avg' };

export const headerOf = (key: ColumnKey): string => {
  const h = HEADERS[key];
  if (h) return h;
  const cut = key.lastIndexOf('_');
  const [slot, p] = [key.slice(0, cut), key.slice(cut + 1)];
  return `${SLOT_HEADERS[slot] ?? slot} ${p}`;
};

/** Where everything sits on an optimizer sheet with `n` data rows (the workbook's `n` is 29). */
export interface Layout {
  readonly def: SheetDef;
  readonly n: number;
  readonly columns: readonly ColumnKey[];
  /** 0-based row of the first data row (the workbook's row 4). */
  readonly firstRow: number;
  readonly lastRow: number;
  /** The row below the data: totals and the state carried into the next pass (the workbook's row 33). */
  readonly summaryRow: number;
  /** Header row of the epoch history; entries follow below it. */
  readonly historyRow: number;
  readonly top: Readonly<Record<Param, Cell>>;
  col(key: ColumnKey): number;
  /** Columns of the adam_ann annealing cells, on the summary row. */
  readonly annealing: { readonly avg: Cell; readonly prev: Cell; readonly ratio: Cell } | null;
}

export const HISTORY_COLUMNS = ['epoch', 'rmse', 'lr', 'intercept', 'slope'] as const;

export const layoutOf = (def: SheetDef, n: number): Layout => {
  const slots = def.rule.slots.flatMap((s) => PARAMS.map((p) => slotKey(s, p)));
  const columns: ColumnKey[] = def.finiteDifference
    ? [
        'x',
        'y',
        'b',
        'a',
        'pred',
        'err',
        'errb',
        'estb',
        'erra',
        'esta',
        'gb',
        'ga',
        'newa',
        'newb',
      ]
    : ['x', 'y', 'b', 'a', 'pred', 'gb', 'ga', 'newb', 'newa', ...slots, 'err'];
  const index = new Map(columns.map((k, i) => [k, i]));
  const col = (key: ColumnKey): number => {
    const i = index.get(key);
    if (i === undefined) throw new Error(`sheet ${def.name} has no column ${key}`);
    return i;
  };
  const firstRow = 3;
  const summaryRow = firstRow + n;
  const errCol = col('err');
  return {
    def,
    n,
    columns,
    firstRow,
    lastRow: summaryRow - 1,
    summaryRow,
    historyRow: summaryRow + 3,
    top: { b: { row: 0, col: 2 }, a: { row: 1, col: 2 } },
    col,
    annealing: def.annealing
      ? {
          avg: { row: summaryRow, col: errCol + 1 },
          prev: { row: summaryRow, col: errCol + 2 },
          ratio: { row: summaryRow, col: errCol + 3 },
        }
      : null,
  };
};
