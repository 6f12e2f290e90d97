import { byId } from '../dom.ts';
import { lessonCell } from './lesson-rows.ts';
import { pct } from './results.ts';
import type { RunRecord } from './run-record.ts';
import { describeConfig } from './run-record.ts';
import type { TrainState } from './state.ts';
import { table } from './views.ts';

/** What a row of the run table can do to its run. */
export interface RunActions {
  show(run: RunRecord): void;
  overlay(run: RunRecord, on: boolean): void;
  resume(run: RunRecord): void;
  exportCsv(run: RunRecord, name: 'metrics.csv' | 'recorder.csv'): void;
  exportModel(run: RunRecord): void;
  remove(run: RunRecord): void;
}

const HEADER = [
  ...['', 'run', 'settings', 'backend', 'status', 'accuracy', 'TTA'],
  ...['vs the lesson', 'loss', 'time', ''],
];

const row = (r: RunRecord, state: TrainState, actions: RunActions): HTMLTableRowElement => {
  const tr = document.createElement('tr');
  tr.dataset.run = r.id;
  if (r === state.current) tr.className = 'current';
  const cell = (text: string): HTMLTableCellElement => {
    const td = document.createElement('td');
    td.textContent = text;
    tr.append(td);
    return td;
  };
  const tick = document.createElement('input');
  tick.type = 'checkbox';
  tick.title = 'overlay on the charts';
  tick.className = 'overlay';
  tick.checked = state.overlays.has(r.id);
  tick.onchange = () => {
    actions.overlay(r, tick.checked);
  };
  cell('').append(tick);
  const name = cell(r.label);
  name.style.color = `var(--run-${String(r.colour % 7)})`;
  name.onclick = () => {
    actions.show(r);
  };
  cell(describeConfig(r.config));
  cell(r.backend);
  cell(r.status + (r.message ? `: ${r.message}` : ''));
  cell(pct(r.result?.plainAccuracy));
  cell(r.result?.ttaAccuracy === null || !r.result ? '–' : pct(r.result.ttaAccuracy));
  const lesson = lessonCell(r.result);
  const vs = cell(lesson.text);
  vs.className = 'lesson';
  vs.title = lesson.title;
  cell(r.result ? r.result.loss.toFixed(3) : '–');
  cell(r.result ? `${r.result.seconds.toFixed(0)} s` : '–');
  const buttons = cell('');
  const act = (label: string, cls: string, f: () => void, enabled: boolean): void => {
    const b = document.createElement('button');
    b.textContent = label;
    b.className = cls;
    b.disabled = !enabled;
    b.onclick = f;
    buttons.append(b);
  };
  const ended = r.status !== 'running';
  act(
    'Resume',
    'resume',
    () => {
      actions.resume(r);
    },
    r.status === 'stopped' && state.busy === null,
  );
  act(
    'Metrics CSV',
    'metrics-csv',
    () => {
      actions.exportCsv(r, 'metrics.csv');
    },
    ended,
  );
  act(
    'Recorder CSV',
    'recorder-csv',
    () => {
      actions.exportCsv(r, 'recorder.csv');
    },
    ended,
  );
  act(
    'Model',
    'model',
    () => {
      actions.exportModel(r);
    },
    r.status === 'done',
  );
  act(
    'Delete',
    'delete',
    () => {
      actions.remove(r);
    },
    ended,
  );
  return tr;
};

/** Every run, with its settings, backend, status, figures and actions. */
export const renderRuns = (state: TrainState, actions: RunActions): void => {
  const t = table(HEADER, [], 'data-table runs-table');
  for (const r of state.runs) t.tBodies[0]?.append(row(r, state, actions));
  byId('t-runs').replaceChildren(t);
};
