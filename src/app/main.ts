import 'handsontable/styles/handsontable.min.css';
import 'handsontable/styles/ht-theme-main.min.css';
import './styles.css';
import type { AnySheet, AppState, Cell, DataSpec, Steps } from '../sheet/index.ts';
import {
  a1,
  applyEdit,
  applyEdits,
  checkData,
  checkRows,
  checkRuns,
  diagnose,
  formatState,
  InputError,
  MAX_ROWS,
  userSheetDef,
  parseNumber,
  parseState,
  parseValue,
  parseXY,
  passTable,
  toCsv,
  Workbook,
  workbookData,
  rowCount,
  workbookModel,
} from '../sheet/index.ts';
import { createCharts } from './charts.ts';
import { byId, valueOf } from './dom.ts';
import { download } from './download.ts';
import { createGrid } from './grid.ts';
import { runSteps } from './jobs.ts';
import { createRulePanel } from './rule-panel.ts';

import { SHEET_STATE_KEY as STORAGE_KEY } from './sheet-storage.ts';

const message = byId('message');
const say = (text: string, kind: 'info' | 'error' = 'info'): void => {
  message.textContent = text;
  message.className = `message ${kind}`;
};
const fault = byId('fault');
const progress = byId('progress');
const progressBar = byId('progress-bar', HTMLProgressElement);
const progressText = byId('progress-text');
for (const el of document.querySelectorAll('.max-rows')) el.textContent = String(MAX_ROWS);
byId('rows', HTMLInputElement).max = String(MAX_ROWS);

let wb: Workbook | null = null;
let sheet: AnySheet = 'basic';
let selected: Cell = { row: 0, col: 0 };
/** The hash this page wrote last: a different one is a link typed into the address bar. */
let shownHash = '';
/** A link typed into the address bar while a job ran: opened when it ends. */
let pendingLink: string | null = null;
/** A long job in progress (building, running): other commands wait for it. */
let busy: string | null = null;

const current = (): Workbook => {
  if (!wb) throw new Error('the workbook is not built yet');
  return wb;
};

const controls = (): NodeListOf<HTMLButtonElement> =>
  document.querySelectorAll<HTMLButtonElement>('.controls button, form button');

/** Reset and Run act on an optimizer sheet, and wait while a job runs. */
const syncButtons = (): void => {
  for (const id of ['reset', 'run'])
    byId(id, HTMLButtonElement).disabled = busy !== null || !wb?.isOptimizer(sheet);
};

/**
 * Runs a long job with a progress bar, the page staying responsive, then `done` with its
 * result; commands are refused meanwhile. On an `InputError` nothing was changed and its
 * message is shown. A link typed into the address bar meanwhile is opened afterwards.
 */
const perform = async <T>(
  title: string,
  steps: Steps<T>,
  done: (result: T) => void,
): Promise<void> => {
  busy = title;
  for (const b of controls()) b.disabled = true;
  progress.hidden = false;
  try {
    done(
      await runSteps(steps, (p) => {
        progressBar.value = p.done / p.total;
        progressText.textContent = `${title}: ${p.what} (${p.done + 1} of ${p.total})…`;
      }),
    );
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    say(err.message, 'error');
  } finally {
    busy = null;
    for (const b of controls()) b.disabled = false;
    syncButtons();
    progress.hidden = true;
  }
  if (pendingLink !== null) {
    const hash = pendingLink;
    pendingLink = null;
    void openLink(hash);
  }
};

const refuseWhileBusy = (): boolean => {
  if (busy === null) return false;
  say(`still ${busy}: try again when the progress bar is gone`, 'error');
  return true;
};

const grid = createGrid(byId('grid'), {
  onEdits(edits) {
    if (refuseWhileBusy()) return;
    const { notes, refused } = applyEdits(current(), sheet, edits);
    const text = new Map(edits.map((e) => [`${e.cell.row}:${e.cell.col}`, e.text]));
    const named = refused.map(({ cell, message }) => ({
      cell,
      message: `${a1(cell)}: '${text.get(`${cell.row}:${cell.col}`) ?? ''}' refused: ${message}`,
    }));
    render();
    grid.markRefused(named);
    if (named.length) {
      const shown = named.slice(0, 3).map((r) => r.message);
      if (named.length > 3) shown.push(`and ${named.length - 3} more cells refused`);
      const kept = notes.length ? ` (kept: ${notes.join(' · ')})` : '';
      say(`${shown.join(' · ')}${kept}`, 'error');
    } else say(notes.join(' · '));
  },
  onSelect(cell) {
    selected = cell;
    showFormula();
  },
  onReadOnlyKey(cell) {
    if (!wb || busy !== null) return;
    try {
      applyEdit(current(), sheet, cell, '');
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      say(err.message, 'error');
    }
  },
});

const charts = createCharts(
  byId('chart-rmse', HTMLCanvasElement),
  byId('chart-contour', HTMLCanvasElement),
  byId('chart-lr', HTMLCanvasElement),
);

const showFormula = (): void => {
  if (!wb) return;
  byId('fx-address').textContent = a1(selected);
  const f = wb.formula(sheet, selected);
  const v = wb.value(sheet, selected);
  byId('fx-content').textContent =
    f ?? (v === null ? '' : typeof v === 'object' ? v.value : String(v));
};

const tabs = byId('sheet-tabs');
/** One tab per sheet, the user's rule sheets after the built-ins. */
const syncTabs = (w: Workbook): void => {
  const names = w.allSheets();
  const have = [...tabs.querySelectorAll<HTMLButtonElement>('button')].map((b) => b.dataset.sheet);
  if (have.join() === names.join()) return;
  tabs.replaceChildren(
    ...names.map((name) => {
      const b = document.createElement('button');
      b.textContent = name;
      b.setAttribute('role', 'tab');
      b.dataset.sheet = name;
      b.addEventListener('click', () => {
        if (refuseWhileBusy()) return;
        sheet = name;
        render();
      });
      return b;
    }),
  );
};

const runsOf = (w: Workbook): Partial<Record<string, number>> =>
  Object.fromEntries(
    w
      .sheets()
      .map((s): [string, number] => [s, w.runsDone(s)])
      .filter(([, n]) => n !== 0),
  );

const state = (w: Workbook): AppState => ({
  sheet,
  data: w.dataSpec,
  model: w.model,
  hypers: w.typedHypers(),
  runs: runsOf(w),
  rules: w.userSheets().map((d) => ({
    name: d.name,
    text: d.source ?? '',
    ...(d.schedule ? { schedule: { text: d.schedule.text, epochs: d.schedule.epochs } } : {}),
  })),
});

/** Redraws the grid, charts and tabs, names any fault on the sheet, and writes the link. */
const render = (): void => {
  const w = current();
  syncTabs(w);
  grid.show(w, sheet);
  charts.update(w, sheet);
  rulePanel.show(w, sheet);
  for (const b of tabs.querySelectorAll<HTMLButtonElement>('button')) {
    const on = b.dataset.sheet === sheet;
    b.classList.toggle('active', on);
    b.setAttribute('aria-selected', String(on));
  }
  byId('blurb').textContent = w.isOptimizer(sheet)
    ? `${w.def(sheet).title}: ${w.def(sheet).blurb} Yellow cells are inputs; select any cell to see its formula.`
    : 'The data every optimizer sheet fits: edit x, y, or the true intercept (C1) and slope (C2); y recomputes from them.';
  syncButtons();
  showFormula();
  const problem = diagnose(w, sheet);
  fault.hidden = problem === null;
  fault.textContent = problem ?? '';
  shownHash = formatState(state(w));
  history.replaceState(null, '', `#${shownHash}`);
  localStorage.setItem(STORAGE_KEY, shownHash);
};

/** Builds the workbook a link describes (data, model, hypers, then each sheet's runs). */
function* fromLink(s: AppState): Steps<Workbook> {
  const next = yield* Workbook.build({
    data: s.data,
    model: s.model,
    hypers: s.hypers,
    userSheets: s.rules.map((r) => userSheetDef(r.name, r.text, r.schedule)),
  });
  for (const name of next.sheets()) {
    const n = s.runs[name] ?? 0;
    if (n > 0) yield* next.runSteps(name, n);
  }
  return next;
}

/** Opens a link (on load, or typed into the address bar): the good parts apply, the rest is named. */
const openLink = async (hash: string): Promise<void> => {
  const { state: s, errors } = parseState(hash);
  shownHash = hash.replace(/^#/, ''); // a link that cannot be built is not retried in a loop
  await perform('opening the link', fromLink(s), (next) => {
    wb = next;
    sheet = s.sheet;
    syncModelInputs();
    render();
    if (errors.length) say(errors.join(' · '), 'error');
    else say('Ready. Edit a yellow cell, or press Run.');
    window.gradsheet = { grid, charts, workbook: current, sheet: () => sheet };
  });
};

window.addEventListener('hashchange', () => {
  if (location.hash.slice(1) === shownHash) return;
  if (busy === null) void openLink(location.hash);
  else pendingLink = location.hash; // opened when the job ends
});

/** Steps that end in `done`, rendering first: a job on the current workbook. */
function* then(steps: Steps, note: () => string): Steps<string> {
  yield* steps;
  return note();
}
const act = (title: string, steps: Steps<string>): void => {
  void perform(title, steps, (note) => {
    render();
    say(note);
  });
};

const rulePanel = createRulePanel({
  workbook: current,
  refuseWhileBusy,
  isBusy: () => busy !== null,
  say,
  act(title, steps, next) {
    void perform(title, steps, (note) => {
      sheet = next;
      render();
      say(note);
    });
  },
});

byId('reset').addEventListener('click', () => {
  if (refuseWhileBusy() || !current().isOptimizer(sheet)) return;
  act(
    'resetting',
    then(resetSteps(sheet), () =>
      current().def(sheet).source === undefined
        ? `${sheet}: reset (a = b = 1, optimizer state warmed up)`
        : `${sheet}: reset (a = b = 1, state from the rule's state lines)`,
    ),
  );
});
function* resetSteps(name: string): Steps {
  yield { what: `resetting ${name}`, done: 0, total: 1 };
  current().reset(name);
}

const RUN_EPOCHS = 5;
byId('run').addEventListener('click', () => {
  if (refuseWhileBusy() || !current().isOptimizer(sheet)) return;
  const name = sheet;
  const w = current();
  try {
    checkRuns(runsOf(w), w.rows, { sheet: name, epochs: RUN_EPOCHS });
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    say(err.message, 'error');
    return;
  }
  act(
    'running',
    then(w.runSteps(name, RUN_EPOCHS), () => {
      const last = w.history(name).at(-1);
      return `${name}: ${RUN_EPOCHS} epochs run; rmse ${last ? last.rmse.toPrecision(6) : '?'}`;
    }),
  );
});
function* compareAll(): Steps {
  for (const name of current().sheets()) {
    yield* resetSteps(name);
    yield* current().runSteps(name, RUN_EPOCHS);
  }
}
byId('run-all').addEventListener('click', () => {
  if (refuseWhileBusy()) return;
  act(
    'comparing',
    then(compareAll(), () => 'every optimizer reset and run 5 epochs: compare them in the charts'),
  );
});
byId('export-csv').addEventListener('click', () => {
  download(new Blob([toCsv(passTable(current(), sheet))], { type: 'text/csv' }), `${sheet}.csv`);
  say(
    `${sheet}.csv downloaded: ${current().isOptimizer(sheet) ? 'the rows of the current pass' : 'x and y'}, as the CLI's --csv writes them`,
  );
});
byId('export-xlsx').addEventListener('click', () => {
  void import('../sheet/xlsx.ts')
    .then(async ({ toXlsx }) => {
      download(
        new Blob([await toXlsx(current())], {
          type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        }),
        'graddesc.xlsx',
      );
      say('graddesc.xlsx downloaded: every sheet with live formulas');
    })
    .catch((err: unknown) => {
      say(`XLSX export failed: ${(err as Error).message}`, 'error');
    });
});
byId('copy-link').addEventListener('click', () => {
  navigator.clipboard.writeText(location.href).then(
    () => {
      say('link copied: it reproduces this workbook');
    },
    () => {
      say(`copy this link: ${location.href}`);
    },
  );
});

const modelInput = byId('model', HTMLInputElement);
const lossInput = byId('loss', HTMLInputElement);
function syncModelInputs(): void {
  modelInput.value = current().model.model;
  lossInput.value = current().model.loss;
}
const changeModel = (spec: { model: string; loss: string }, done: string): void => {
  // on a refusal the inputs keep what was typed
  act(
    'rebuilding the formulas',
    then(current().setModelSteps(spec), () => done),
  );
};
byId('model-form').addEventListener('submit', (e) => {
  e.preventDefault();
  if (refuseWhileBusy()) return;
  const spec = { model: modelInput.value, loss: lossInput.value };
  changeModel(
    spec,
    `model ${spec.model}, loss ${spec.loss}: gradients re-derived, formulas rebuilt`,
  );
});
byId('model-default').addEventListener('click', () => {
  if (refuseWhileBusy()) return;
  modelInput.value = workbookModel.model;
  lossInput.value = workbookModel.loss;
  changeModel(workbookModel, 'back to the workbook’s model');
});

/** Replaces the data after checking it fits (rows, values, each sheet's runs); says what happened. */
const changeData = (spec: DataSpec, done: string): void => {
  const w = current();
  try {
    checkData(spec);
    checkRuns(runsOf(w), rowCount(spec));
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    say(err.message, 'error');
    return;
  }
  act(
    'building the sheets',
    then(w.setDataSteps(spec), () => done),
  );
};
byId('data-form').addEventListener('submit', (e) => {
  e.preventDefault();
  if (refuseWhileBusy()) return;
  try {
    const rows = checkRows(parseNumber(valueOf('rows'), 'rows'));
    const spec: DataSpec = {
      kind: 'generated',
      seed: Math.trunc(parseNumber(valueOf('seed'), 'seed')),
      rows,
      intercept: parseValue(valueOf('intercept'), 'the true intercept'),
      slope: parseValue(valueOf('slope'), 'the true slope'),
      noise: parseValue(valueOf('noise'), 'noise'),
    };
    changeData(spec, `${rows} rows generated`);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    say(err.message, 'error');
  }
});
byId('data-workbook').addEventListener('click', () => {
  if (refuseWhileBusy()) return;
  changeData(workbookData, 'the workbook’s 29 rows');
});
byId('paste-form').addEventListener('submit', (e) => {
  e.preventDefault();
  if (refuseWhileBusy()) return;
  try {
    const xy = parseXY(valueOf('paste'));
    changeData({ kind: 'custom', ...xy }, `${xy.x.length} pasted rows in use`);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    say(err.message, 'error'); // the pasted text stays in the box
  }
});

/** A read-only handle for the devtools console (and the browser tests), set once the workbook is built. */
declare global {
  interface Window {
    gradsheet: {
      readonly grid: typeof grid;
      readonly charts: typeof charts;
      workbook(): Workbook;
      sheet(): AnySheet;
    };
  }
}

void openLink(location.hash.length > 1 ? location.hash : (localStorage.getItem(STORAGE_KEY) ?? ''));
