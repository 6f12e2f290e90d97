import { a1, applyEdit, applyEdits, InputError } from '../sheet/index.ts';
import type { GridCallbacks, GridView } from './grid.ts';
import type { SheetPage } from './page.ts';

/**
 * What the grid's typing, pasting and selecting do: every cell goes through the workbook's
 * checks; refused cells are marked and named (the first three), the rest applied at once.
 */
export const gridCallbacks = (page: SheetPage, grid: () => GridView): GridCallbacks => ({
  onEdits(edits) {
    if (page.refuseWhileBusy()) return;
    const { notes, refused } = applyEdits(page.workbook(), page.session.sheet, edits);
    const text = new Map(edits.map((e) => [`${e.cell.row}:${e.cell.col}`, e.text]));
    const named = refused.map(({ cell, message }) => ({
      cell,
      message: `${a1(cell)}: '${text.get(`${cell.row}:${cell.col}`) ?? ''}' refused: ${message}`,
    }));
    page.render();
    grid().markRefused(named);
    if (named.length) {
      const shown = named.slice(0, 3).map((r) => r.message);
      if (named.length > 3) shown.push(`and ${named.length - 3} more cells refused`);
      const kept = notes.length ? ` (kept: ${notes.join(' · ')})` : '';
      page.say(`${shown.join(' · ')}${kept}`, 'error');
    } else page.say(notes.join(' · '));
  },
  onSelect(cell) {
    page.session.selected = cell;
    page.showFormula();
  },
  onReadOnlyKey(cell) {
    if (!page.session.workbook || page.session.busy !== null) return;
    try {
      applyEdit(page.workbook(), page.session.sheet, cell, '');
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      page.say(err.message, 'error');
    }
  },
});
