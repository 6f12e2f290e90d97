import type { Workbook } from '../sheet/index.ts';
import { a1, diagnose } from '../sheet/index.ts';
import type { Charts } from './charts.ts';
import { byId } from './dom.ts';
import type { GridView } from './grid.ts';
import { stateOf } from './link-state.ts';
import type { Messages } from './messages.ts';
import type { Performer } from './perform.ts';
import type { Session } from './session.ts';
import { currentWorkbook } from './session.ts';
import type { SheetLink } from './sheet-link.ts';

/** The parts of the page a redraw reaches. */
export interface ViewParts {
  readonly grid: GridView;
  readonly charts: Charts;
  readonly rulePanel: { show(w: Workbook, sheet: string): void };
  readonly performer: Performer;
  readonly link: SheetLink;
  readonly showFault: Messages['showFault'];
}

export interface View {
  /** Redraws the grid, charts and tabs, names any fault on the sheet, and writes the link. */
  readonly render: () => void;
  /** Shows the selected cell's formula (or value) in the formula bar. */
  readonly showFormula: () => void;
}

export const createView = (session: Session, parts: ViewParts): View => {
  const tabs = byId('sheet-tabs');

  const showFormula = (): void => {
    const wb = session.workbook;
    if (!wb) return;
    byId('fx-address').textContent = a1(session.selected);
    const f = wb.formula(session.sheet, session.selected);
    const v = wb.value(session.sheet, session.selected);
    byId('fx-content').textContent =
      f ?? (v === null ? '' : typeof v === 'object' ? v.value : String(v));
  };

  /** One tab per sheet, the user's rule sheets after the built-ins. */
  const syncTabs = (w: Workbook): void => {
    const names = w.allSheets();
    const have = [...tabs.querySelectorAll<HTMLButtonElement>('button')].map(
      (b) => b.dataset.sheet,
    );
    if (have.join() === names.join()) return;
    tabs.replaceChildren(
      ...names.map((name) => {
        const b = document.createElement('button');
        b.textContent = name;
        b.setAttribute('role', 'tab');
        b.dataset.sheet = name;
        b.addEventListener('click', () => {
          if (parts.performer.refuseWhileBusy()) return;
          session.sheet = name;
          render();
        });
        return b;
      }),
    );
  };

  const render = (): void => {
    const w = currentWorkbook(session);
    const sheet = session.sheet;
    syncTabs(w);
    parts.grid.show(w, sheet);
    parts.charts.update(w, sheet);
    parts.rulePanel.show(w, sheet);
    for (const b of tabs.querySelectorAll<HTMLButtonElement>('button')) {
      const on = b.dataset.sheet === sheet;
      b.classList.toggle('active', on);
      b.setAttribute('aria-selected', String(on));
    }
    byId('blurb').textContent = w.isOptimizer(sheet)
      ? `${w.def(sheet).title}: ${w.def(sheet).blurb} Yellow cells are inputs; select any cell to see its formula.`
      : 'The data every optimizer sheet fits: edit x, y, or the true intercept (C1) and slope (C2); y recomputes from them.';
    parts.performer.syncButtons();
    showFormula();
    parts.showFault(diagnose(w, sheet));
    parts.link.write(stateOf(w, sheet));
  };

  return { render, showFormula };
};
