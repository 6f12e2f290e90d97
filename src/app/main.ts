import 'handsontable/styles/handsontable.min.css';
import 'handsontable/styles/ht-theme-main.min.css';
import './styles.css';
import type { AnySheet, Workbook } from '../sheet/index.ts';
import type { Charts } from './charts.ts';
import { createCharts } from './charts.ts';
import { bindCommands } from './commands.ts';
import { bindDataForms } from './data-forms.ts';
import { byId } from './dom.ts';
import type { GridView } from './grid.ts';
import { createGrid } from './grid.ts';
import { gridCallbacks } from './grid-edits.ts';
import { createMessages } from './messages.ts';
import { createModelForm } from './model-form.ts';
import type { SheetPage } from './page.ts';
import { createPerformer } from './perform.ts';
import { createRulePanel } from './rule-panel.ts';
import { createSession, currentWorkbook } from './session.ts';
import { createSheetLink } from './sheet-link.ts';
import { createView } from './view.ts';

// The Sheet tab's page: only wiring. Each part is a module of its own; they reach one another
// through the `SheetPage` handle and the late-bound calls below.

const session = createSession();
const { say, showFault } = createMessages();
const workbook = (): Workbook => currentWorkbook(session);
const performer = createPerformer(session, say, () => {
  link.openPending();
});

const page: SheetPage = {
  session,
  workbook,
  say,
  refuseWhileBusy: performer.refuseWhileBusy,
  render: () => {
    view.render();
  },
  showFormula: () => {
    view.showFormula();
  },
  act: (title, steps) => {
    void performer.perform(title, steps, (note) => {
      view.render();
      say(note);
    });
  },
};

const grid = createGrid(
  byId('grid'),
  gridCallbacks(page, () => grid),
);
const charts = createCharts(
  byId('chart-rmse', HTMLCanvasElement),
  byId('chart-contour', HTMLCanvasElement),
  byId('chart-lr', HTMLCanvasElement),
);
const rulePanel = createRulePanel({
  workbook,
  refuseWhileBusy: performer.refuseWhileBusy,
  isBusy: () => session.busy !== null,
  say,
  act(title, steps, next) {
    void performer.perform(title, steps, (note) => {
      session.sheet = next;
      view.render();
      say(note);
    });
  },
});
const link = createSheetLink({
  isBusy: () => session.busy !== null,
  perform: performer.perform,
  opened(next, sheet, errors) {
    session.workbook = next;
    session.sheet = sheet;
    modelForm.sync();
    view.render();
    if (errors.length) say(errors.join(' · '), 'error');
    else say('Ready. Edit a yellow cell, or press Run.');
    window.gradsheet = { grid, charts, workbook, sheet: () => session.sheet };
  },
});
const view = createView(session, { grid, charts, rulePanel, performer, link, showFault });
const modelForm = createModelForm(page);
bindCommands(page);
bindDataForms(page);

/** A read-only handle for the devtools console (and the browser tests), set once the workbook is built. */
declare global {
  interface Window {
    gradsheet: {
      readonly grid: GridView;
      readonly charts: Charts;
      workbook(): Workbook;
      sheet(): AnySheet;
    };
  }
}

void link.open(link.initial());
