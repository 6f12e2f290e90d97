import 'handsontable/styles/handsontable.min.css';
import 'handsontable/styles/ht-theme-main.min.css';
import './styles.css';
import type { AnySheet, AppState, Cell, SheetName } from '../sheet/index.ts';
import {
  a1,
  ALL_SHEETS,
  applyEdit,
  formatState,
  InputError,
  isSheetName,
  parseNumber,
  parseState,
  parseXY,
  SHEET_NAMES,
  SHEETS,
  toCsv,
  Workbook,
  workbookData,
  workbookModel,
} from '../sheet/index.ts';
import { createCharts } from './charts.ts';
import { byId, valueOf } from './dom.ts';
import { download } from './download.ts';
import { createGrid } from './grid.ts';

const STORAGE_KEY = 'gradsheet:state';

const message = byId('message');
const say = (text: string, kind: 'info' | 'error' = 'info'): void => {
  message.textContent = text;
  message.className = `message ${kind}`;
};

/** A workbook as a link describes it: data, model, typed hyperparameters, then the runs. */
const build = (state: AppState): Workbook => {
  const wb = new Workbook({ data: state.data, model: state.model, hypers: state.hypers });
  for (const s of SHEET_NAMES) {
    const n = state.runs[s] ?? 0;
    if (n > 0) wb.run(s, n);
  }
  return wb;
};

const initial = parseState(
  location.hash.length > 1 ? location.hash : (localStorage.getItem(STORAGE_KEY) ?? ''),
);
const wb = build(initial.state);
let sheet: AnySheet = initial.state.sheet;
let selected: Cell = { row: 0, col: 0 };

const grid = createGrid(byId('grid'), {
  onEdits(edits) {
    const notes: string[] = [];
    const refused: { cell: Cell; message: string }[] = [];
    for (const { cell, text } of edits) {
      try {
        notes.push(applyEdit(wb, sheet, cell, text));
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        refused.push({ cell, message: `${a1(cell)}: '${text}' refused: ${err.message}` });
      }
    }
    render();
    grid.markRefused(refused);
    if (refused.length) say(refused.map((r) => r.message).join(' · '), 'error');
    else say(notes.join(' · '));
  },
  onSelect(cell) {
    selected = cell;
    showFormula();
  },
  onReadOnlyKey(cell) {
    try {
      applyEdit(wb, sheet, cell, '');
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
  byId('fx-address').textContent = a1(selected);
  const f = wb.formula(sheet, selected);
  const v = wb.value(sheet, selected);
  byId('fx-content').textContent =
    f ?? (v === null ? '' : typeof v === 'object' ? v.value : String(v));
};

const tabs = byId('sheet-tabs');
for (const name of ALL_SHEETS) {
  const b = document.createElement('button');
  b.textContent = name;
  b.setAttribute('role', 'tab');
  b.dataset.sheet = name;
  b.addEventListener('click', () => {
    sheet = name;
    render();
  });
  tabs.append(b);
}

const state = (): AppState => ({
  sheet,
  data: wb.dataSpec,
  model: wb.model,
  hypers: wb.typedHypers(),
  runs: Object.fromEntries(
    SHEET_NAMES.map((s) => [s, wb.runsDone(s)]).filter(([, n]) => n !== 0),
  ) as Partial<Record<SheetName, number>>,
});

const render = (): void => {
  grid.show(wb, sheet);
  charts.update(wb, sheet);
  for (const b of tabs.querySelectorAll<HTMLButtonElement>('button')) {
    const on = b.dataset.sheet === sheet;
    b.classList.toggle('active', on);
    b.setAttribute('aria-selected', String(on));
  }
  byId('blurb').textContent = isSheetName(sheet)
    ? `${SHEETS[sheet].title}: ${SHEETS[sheet].blurb} Yellow cells are inputs; select any cell to see its formula.`
    : 'The data every optimizer sheet fits: edit x, y, or the true intercept (C1) and slope (C2); y recomputes from them.';
  for (const id of ['reset', 'run']) byId(id, HTMLButtonElement).disabled = !isSheetName(sheet);
  showFormula();
  const hash = formatState(state());
  history.replaceState(null, '', `#${hash}`);
  localStorage.setItem(STORAGE_KEY, hash);
};

byId('reset').addEventListener('click', () => {
  if (!isSheetName(sheet)) return;
  wb.reset(sheet);
  render();
  say(`${sheet}: reset (a = b = 1, optimizer state warmed up)`);
});
byId('run').addEventListener('click', () => {
  if (!isSheetName(sheet)) return;
  wb.run(sheet, 5);
  render();
  const last = wb.history(sheet).at(-1);
  say(`${sheet}: 5 epochs run; rmse ${last ? last.rmse.toPrecision(6) : '?'}`);
});
byId('run-all').addEventListener('click', () => {
  for (const s of SHEET_NAMES) {
    wb.reset(s);
    wb.run(s, 5);
  }
  render();
  say('every optimizer reset and run 5 epochs: compare them in the charts');
});
byId('export-csv').addEventListener('click', () => {
  download(new Blob([toCsv(grid.data())], { type: 'text/csv' }), `${sheet}.csv`);
  say(`${sheet}.csv downloaded`);
});
byId('export-xlsx').addEventListener('click', () => {
  void import('../sheet/xlsx.ts')
    .then(async ({ toXlsx }) => {
      download(
        new Blob([await toXlsx(wb)], {
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
const syncModelInputs = (): void => {
  modelInput.value = wb.model.model;
  lossInput.value = wb.model.loss;
};
byId('model-form').addEventListener('submit', (e) => {
  e.preventDefault();
  try {
    wb.setModel({ model: modelInput.value, loss: lossInput.value });
    render();
    say(`model ${wb.model.model}, loss ${wb.model.loss}: gradients re-derived, formulas rebuilt`);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    say(err.message, 'error'); // the inputs keep what was typed
  }
});
byId('model-default').addEventListener('click', () => {
  wb.setModel(workbookModel);
  syncModelInputs();
  render();
  say('back to the workbook’s model');
});
byId('data-form').addEventListener('submit', (e) => {
  e.preventDefault();
  try {
    const rows = parseNumber(valueOf('rows'), 'rows');
    if (!Number.isInteger(rows) || rows < 2 || rows > 5000)
      throw new InputError(`rows must be a whole number in 2…5000, got ${rows}`);
    const noise = parseNumber(valueOf('noise'), 'noise');
    if (noise < 0) throw new InputError(`noise must be ≥ 0, got ${noise}`);
    wb.setData({
      kind: 'generated',
      seed: Math.trunc(parseNumber(valueOf('seed'), 'seed')),
      rows,
      intercept: parseNumber(valueOf('intercept'), 'intercept'),
      slope: parseNumber(valueOf('slope'), 'slope'),
      noise,
    });
    render();
    say(`${rows} rows generated`);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    say(err.message, 'error');
  }
});
byId('data-workbook').addEventListener('click', () => {
  wb.setData(workbookData);
  render();
  say('the workbook’s 29 rows');
});
byId('paste-form').addEventListener('submit', (e) => {
  e.preventDefault();
  try {
    const xy = parseXY(valueOf('paste'));
    wb.setData({ kind: 'custom', ...xy });
    render();
    say(`${xy.x.length} pasted rows in use`);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    say(err.message, 'error'); // the pasted text stays in the box
  }
});

syncModelInputs();
render();
if (initial.errors.length) say(initial.errors.join(' · '), 'error');
else say('Ready. Edit a yellow cell, or press Run.');

/** A read-only handle for the devtools console (and the browser tests). */
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
window.gradsheet = { grid, charts, workbook: () => wb, sheet: () => sheet };
