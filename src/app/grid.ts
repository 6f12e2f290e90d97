import Handsontable from 'handsontable/base';
import { registerAllModules } from 'handsontable/registry';
import { textRenderer } from 'handsontable/renderers';
import type { CellValue } from 'hyperformula';
import type { AnySheet, Cell, Workbook } from '../sheet/index.ts';
import { isEditable } from '../sheet/index.ts';
import { formatValue } from './format.ts';

registerAllModules();

export type GridValue = string | number | null;

export interface GridCallbacks {
  /** Cells the user typed into or pasted over (each one, even outside the inputs), with the raw text. */
  onEdits(edits: { cell: Cell; text: string }[]): void;
  onSelect(cell: Cell): void;
  /** A key was typed on a cell that is not an input (a formula or a label). */
  onReadOnlyKey(cell: Cell): void;
}

export interface GridView {
  readonly hot: Handsontable;
  show(wb: Workbook, sheet: AnySheet): void;
  /** The values the grid holds (padding included), at full precision. */
  data(): GridValue[][];
  /** Marks cells whose input was refused (red, with the reason as tooltip); clears older marks. */
  markRefused(refused: { cell: Cell; message: string }[]): void;
}

const toGridValue = (v: CellValue): GridValue => {
  if (v === null || typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return v.value; // a DetailedCellError: '#DIV/0!', '#NUM!', …
};

const MIN_ROWS = 40;
const MIN_COLS = 16;

/**
 * The Handsontable view of one sheet. It shows HyperFormula's values; what the user types goes
 * to the workbook model (validated there) and the grid is redrawn from the engine.
 */
export const createGrid = (el: HTMLElement, cb: GridCallbacks): GridView => {
  let wb: Workbook | null = null;
  let sheet: AnySheet = 'basic';
  let values: GridValue[][] = [];
  let refused = new Map<string, string>();
  const key = (row: number, col: number): string => `${sheet}:${row}:${col}`;
  const hot = new Handsontable(el, {
    data: [[]],
    themeName: 'ht-theme-main',
    licenseKey: 'non-commercial-and-evaluation',
    rowHeaders: true,
    colHeaders: true,
    height: '100%',
    width: '100%',
    colWidths: 96,
    outsideClickDeselects: false,
    autoWrapRow: true,
    cells(row, col) {
      const editable = wb !== null && isEditable(wb, sheet, { row, col });
      const formula = wb?.formula(sheet, { row, col }) !== undefined;
      return {
        readOnly: !editable,
        className: editable ? 'gs-input' : formula ? 'gs-formula' : 'gs-text',
        renderer(
          instance: Handsontable,
          td: HTMLTableCellElement,
          r: number,
          c: number,
          prop: string | number,
          value: unknown,
          props: Handsontable.CellProperties,
        ) {
          textRenderer(instance, td, r, c, prop, formatValue(value), props);
          td.classList.toggle('gs-error', typeof value === 'string' && value.startsWith('#'));
          td.classList.toggle('gs-number', typeof value === 'number');
          const why = refused.get(key(r, c));
          td.classList.toggle('gs-refused', why !== undefined);
          if (why !== undefined) td.title = why;
          else td.removeAttribute('title');
        },
      };
    },
    beforeChange(changes, source) {
      if (source === 'loadData' || source === 'updateData') return;
      const edits = changes.flatMap((ch) =>
        ch
          ? [
              {
                cell: { row: ch[0], col: Number(ch[1]) },
                text: typeof ch[3] === 'string' || typeof ch[3] === 'number' ? String(ch[3]) : '',
              },
            ]
          : [],
      );
      if (edits.length)
        queueMicrotask(() => {
          cb.onEdits(edits);
        });
      return false;
    },
    beforePaste(data, coords) {
      // Handsontable would skip read-only cells without a word: every pasted cell goes to the
      // workbook instead, which applies what it can and names each cell it refuses.
      const at = coords[0];
      if (!at) return;
      const edits = data.flatMap((line, r) =>
        line.map((v, c) => ({
          cell: { row: at.startRow + r, col: at.startCol + c },
          text: typeof v === 'string' || typeof v === 'number' ? String(v) : '',
        })),
      );
      queueMicrotask(() => {
        cb.onEdits(edits);
      });
      return false;
    },
    afterSelectionEnd(row, col) {
      cb.onSelect({ row, col });
    },
    beforeKeyDown(event: KeyboardEvent) {
      const [row, col] = hot.getSelectedLast() ?? [];
      if (
        row === undefined ||
        col === undefined ||
        !wb ||
        event.ctrlKey ||
        event.metaKey ||
        event.altKey
      )
        return;
      if (event.key.length === 1 && !isEditable(wb, sheet, { row, col }))
        cb.onReadOnlyKey({ row, col });
    },
  });
  return {
    hot,
    show(next, name) {
      const switched = wb !== next || sheet !== name;
      wb = next;
      sheet = name;
      const raw = next.values(name);
      const width = Math.max(MIN_COLS, ...raw.map((r) => r.length));
      const height = Math.max(MIN_ROWS, raw.length + 2);
      values = Array.from({ length: height }, (_, r) =>
        Array.from({ length: width }, (_, c) => toGridValue(raw[r]?.[c] ?? null)),
      );
      if (switched) hot.loadData(values);
      else hot.updateData(values);
    },
    data: () => values.map((r) => [...r]),
    markRefused(list) {
      refused = new Map(list.map(({ cell, message }) => [key(cell.row, cell.col), message]));
      hot.render();
    },
  };
};
