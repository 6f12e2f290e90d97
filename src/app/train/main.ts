import '../styles.css';
import './train.css';
import type { AugmentName } from '../../training/augment-names.ts';
import type { ModelName } from '../../training/models/names.ts';
import { isModelName } from '../../training/models/names.ts';
import type { OptimizerName } from '../../training/optimizer-table.ts';
import { byId } from '../dom.ts';
import { download } from '../download.ts';
import { createTrainCharts } from './charts.ts';
import { idbGet } from './idb.ts';
import { showBackendReady, showBackendStarting } from './backend-view.ts';
import type { BackendSetting, EvaluationReport, FromWorker, ToWorker } from './protocol.ts';
import { BACKEND_SETTINGS } from './protocol.ts';
import type { RunRecord } from './runs.ts';
import { applyMessage, describeConfig, forgetRun, loadRuns, newRun, saveRun } from './runs.ts';
import type { FieldErrors, Settings } from './settings.ts';
import { BROWSER_ENV, hyperDefaults, parseSettings, PRESETS } from './settings.ts';
import { settingByKey } from '../../settings/train.ts';
import { formatTrainLink, parseTrainLink } from './link.ts';
import { SETTINGS_KEY, settingsFromStore, settingsToStore } from './settings-storage.ts';
import {
  confusionTable,
  EPOCH_HEADER,
  epochRow,
  gallery,
  previewGrid,
  summaryTable,
  table,
} from './views.ts';

const form = byId('t-form', HTMLFormElement);
const input = (id: string): HTMLInputElement => byId(id, HTMLInputElement);
const select = (id: string): HTMLSelectElement => byId(id, HTMLSelectElement);
const button = (id: string): HTMLButtonElement => byId(id, HTMLButtonElement);

const message = byId('t-message');
const say = (text: string, kind: 'info' | 'error' = 'info'): void => {
  message.textContent = text;
  message.className = `message ${kind}`;
};

const fillSelect = (el: HTMLSelectElement, values: readonly string[]): void => {
  el.replaceChildren(
    ...values.map((v) => {
      const o = document.createElement('option');
      o.value = v;
      o.textContent = v;
      return o;
    }),
  );
};
/** A setting's accepted names in this browser, from the settings table (src/settings/train.ts). */
const choicesOf = (key: string): readonly string[] =>
  settingByKey(key)?.choices?.(BROWSER_ENV) ?? [];
fillSelect(select('t-model'), choicesOf('model'));
fillSelect(select('t-opt'), choicesOf('opt'));
fillSelect(select('t-sched'), choicesOf('sched'));
fillSelect(select('t-backend'), choicesOf('backend'));
input('t-workers').placeholder = `${String(BROWSER_ENV.cores)}: every core`;

const augBox = byId('t-aug');
for (const a of choicesOf('aug')) {
  const label = document.createElement('label');
  label.innerHTML = `<input type="checkbox" name="aug" value="${a}" /> ${a}`;
  augBox.append(label);
}

// ---------- settings: the form <-> Settings ----------

const hyperCells = byId('t-hyper-cells');
const renderHyperCells = (hyper: Readonly<Record<string, string>>): void => {
  for (const old of hyperCells.querySelectorAll('.own-hyper')) old.remove();
  for (const [k, v] of Object.entries(hyper)) {
    const label = document.createElement('label');
    label.className = 'cell own-hyper';
    label.textContent = `${k} `;
    const i = document.createElement('input');
    i.id = `t-hyper-${k}`;
    i.name = `hyper.${k}`;
    i.dataset.hyper = k;
    i.value = v;
    i.inputMode = 'decimal';
    label.append(i);
    hyperCells.append(label);
  }
};

const readSettings = (): Settings => ({
  model: select('t-model').value,
  opt: select('t-opt').value,
  lr: input('t-lr').value,
  hyper: Object.fromEntries(
    [...hyperCells.querySelectorAll<HTMLInputElement>('input[data-hyper]')].map((i) => [
      i.dataset.hyper ?? '',
      i.value,
    ]),
  ),
  sched: select('t-sched').value,
  epochs: input('t-epochs').value,
  bs: input('t-bs').value,
  aug: [...augBox.querySelectorAll<HTMLInputElement>('input:checked')].map(
    (i) => i.value as AugmentName,
  ),
  tta: input('t-tta').checked,
  ensemble: input('t-ensemble').value,
  seed: input('t-seed').value,
  subset: input('t-subset').value,
  backend: select('t-backend').value,
  workers: input('t-workers').value,
});

const writeSettings = (s: Settings): void => {
  select('t-model').value = s.model;
  select('t-opt').value = s.opt;
  input('t-lr').value = s.lr;
  renderHyperCells(s.hyper);
  select('t-sched').value = s.sched;
  input('t-epochs').value = s.epochs;
  input('t-bs').value = s.bs;
  for (const i of augBox.querySelectorAll<HTMLInputElement>('input'))
    i.checked = s.aug.includes(i.value as AugmentName);
  input('t-tta').checked = s.tta;
  input('t-ensemble').value = s.ensemble;
  input('t-seed').value = s.seed;
  input('t-subset').value = s.subset;
  select('t-backend').value = s.backend;
  input('t-workers').value = s.workers;
};

const storedSettings = (): Settings => {
  try {
    return settingsFromStore(localStorage.getItem(SETTINGS_KEY));
  } catch {
    return settingsFromStore(null);
  }
};

let busy: 'train' | 'lrFind' | 'evaluate' | null = null;
let errors: FieldErrors = {};

/** Marks each wrong field where it was typed, lists the messages, and allows Train only when all is well. */
const check = (): ReturnType<typeof parseSettings> => {
  const s = readSettings();
  const parsed = parseSettings(s);
  errors = parsed.errors;
  for (const el of form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')) {
    const msg = errors[el.name];
    el.classList.toggle('refused', msg !== undefined);
    el.setAttribute('aria-invalid', String(msg !== undefined));
    el.title = msg ?? '';
  }
  byId('t-errors').replaceChildren(
    ...Object.values(errors).map((m) => {
      const li = document.createElement('li');
      li.textContent = m;
      return li;
    }),
  );
  localStorage.setItem(SETTINGS_KEY, settingsToStore(s));
  updateButtons();
  return parsed;
};

// ---------- the worker ----------

let worker: Worker | null = null;
let workerBackend: BackendSetting | null = null;
let backendName = '';

const post = (m: ToWorker, transfer: Transferable[] = []): void => {
  worker?.postMessage(m, transfer);
};

const startWorker = (backend: BackendSetting): void => {
  worker?.terminate();
  worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  workerBackend = backend;
  backendName = '';
  showBackendStarting(backend);
  worker.onmessage = (e: MessageEvent<FromWorker>) => {
    onWorker(e.data);
  };
  worker.onerror = (e) => {
    say(`the training worker failed: ${e.message}`, 'error');
  };
  post({ type: 'init', backend, dataUrl: new URL('data/', document.baseURI).href });
  post({ type: 'summary', model: select('t-model').value as ModelName });
};

const ensureWorker = (backend: BackendSetting): void => {
  if (!worker || workerBackend !== backend) startWorker(backend);
};

// ---------- runs, charts and results ----------

const charts = createTrainCharts({
  loss: byId('t-chart-loss', HTMLCanvasElement),
  valid: byId('t-chart-valid', HTMLCanvasElement),
  sched: byId('t-chart-sched', HTMLCanvasElement),
  lrFind: byId('t-chart-lrfind', HTMLCanvasElement),
});

let runs: RunRecord[] = [];
let current: RunRecord | null = null;
const overlays = new Set<string>();
let suggestion: number | null = null;

let drawPending = false;
const redraw = (): void => {
  if (drawPending) return;
  drawPending = true;
  requestAnimationFrame(() => {
    drawPending = false;
    charts.show(
      current,
      runs.filter((r) => overlays.has(r.id)),
    );
    renderEpochs();
  });
};

const renderEpochs = (): void => {
  const rows = (current?.members ?? []).flatMap((m, k) => m.logs.map((log) => epochRow(k, log)));
  byId('t-epochs-table').replaceChildren(table(EPOCH_HEADER, rows, 'data-table epochs'));
};

const pct = (x: number | null | undefined): string =>
  x === null || x === undefined || Number.isNaN(x) ? '–' : `${(x * 100).toFixed(2)}%`;

const renderReport = (box: HTMLElement, title: string, r: EvaluationReport): void => {
  const h = document.createElement('h3');
  h.textContent = title;
  const g = document.createElement('h3');
  g.textContent = 'Most confident mistakes (true → predicted)';
  box.append(h, confusionTable(r), g, gallery(r));
};

const renderResults = (): void => {
  const box = byId('t-results');
  box.replaceChildren();
  const r = current?.result;
  if (!current || !r) {
    const p = document.createElement('p');
    p.className = 'hint';
    p.textContent = !current
      ? 'Train a model to see its results.'
      : current.status === 'running'
        ? 'training… the results appear when the run ends'
        : `${current.status}${current.message ? `: ${current.message}` : ''}`;
    box.append(p);
    return;
  }
  const rows: string[][] = [['accuracy (without TTA)', pct(r.plainAccuracy)]];
  if (r.ttaAccuracy !== null) rows.push(['accuracy with TTA (flip)', pct(r.ttaAccuracy)]);
  rows.push(['validation loss', r.loss.toFixed(4)], ['time', `${r.seconds.toFixed(1)} s`]);
  if (r.members.length > 1) {
    r.members.forEach((m, k) =>
      rows.push([
        `member ${String(k)} (seed ${String(r.config.seed + k)})`,
        `${pct(m.accuracy)}${m.ttaAccuracy === null ? '' : `, TTA ${pct(m.ttaAccuracy)}`}`,
      ]),
    );
    rows.push(['ensemble (mean logits)', pct(r.accuracy)]);
  }
  const t = table(['', current.label], rows, 'data-table results-table');
  t.id = 't-results-table';
  box.append(t);
  if (current.report) renderReport(box, 'Confusion matrix and per-class accuracy', current.report);
};

const runsBox = byId('t-runs');
const renderRuns = (): void => {
  const t = table(
    ['', 'run', 'settings', 'backend', 'status', 'accuracy', 'TTA', 'loss', 'time', ''],
    [],
    'data-table runs-table',
  );
  const body = t.tBodies[0];
  for (const r of runs) {
    const tr = document.createElement('tr');
    tr.dataset.run = r.id;
    if (r === current) tr.className = 'current';
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
    tick.checked = overlays.has(r.id);
    tick.onchange = () => {
      if (tick.checked) overlays.add(r.id);
      else overlays.delete(r.id);
      redraw();
    };
    cell('').append(tick);
    const name = cell(r.label);
    name.style.color = `var(--run-${String(r.colour % 7)})`;
    name.onclick = () => {
      current = r;
      renderAll();
    };
    cell(describeConfig(r.config));
    cell(r.backend);
    cell(r.status + (r.message ? `: ${r.message}` : ''));
    cell(pct(r.result?.plainAccuracy));
    cell(r.result?.ttaAccuracy === null || !r.result ? '–' : pct(r.result.ttaAccuracy));
    cell(r.result ? r.result.loss.toFixed(3) : '–');
    cell(r.result ? `${r.result.seconds.toFixed(0)} s` : '–');
    const actions = cell('');
    const act = (label: string, cls: string, f: () => void, enabled = true): void => {
      const b = document.createElement('button');
      b.textContent = label;
      b.className = cls;
      b.disabled = !enabled;
      b.onclick = f;
      actions.append(b);
    };
    act(
      'Resume',
      'resume',
      () => {
        resume(r);
      },
      r.status === 'stopped' && busy === null,
    );
    act(
      'Metrics CSV',
      'metrics-csv',
      () => void exportCsv(r, 'metrics.csv'),
      r.status !== 'running',
    );
    act(
      'Recorder CSV',
      'recorder-csv',
      () => void exportCsv(r, 'recorder.csv'),
      r.status !== 'running',
    );
    act(
      'Model',
      'model',
      () => {
        post({ type: 'exportModel', runId: r.id, member: 0 });
      },
      r.status === 'done',
    );
    act('Delete', 'delete', () => void remove(r), r.status !== 'running');
    body?.append(tr);
  }
  runsBox.replaceChildren(t);
};

const renderAll = (): void => {
  redraw();
  renderResults();
  renderRuns();
};

const updateButtons = (): void => {
  const ok = Object.keys(errors).length === 0;
  button('t-train').disabled = !ok || busy !== null;
  button('t-lrfind').disabled = !ok || busy !== null;
  button('t-stop').disabled = busy !== 'train';
  button('t-use-lr').disabled = suggestion === null;
  const stopped = new Set(runs.filter((r) => r.status === 'stopped').map((r) => r.id));
  for (const b of runsBox.querySelectorAll<HTMLButtonElement>('button.resume')) {
    const id = b.closest('tr')?.dataset.run;
    b.disabled = busy !== null || id === undefined || !stopped.has(id);
  }
};

const progress = byId('t-progress', HTMLProgressElement);
const progressText = byId('t-progress-text');

const finish = (): void => {
  busy = null;
  updateButtons();
  renderRuns();
};

const persist = (run: RunRecord): void => {
  saveRun(run).catch((err: unknown) => {
    say(`could not save the run in this browser's storage: ${(err as Error).message}`, 'error');
  });
};

const onWorker = (m: FromWorker): void => {
  switch (m.type) {
    case 'ready':
      backendName = m.backend;
      showBackendReady(m);
      return;
    case 'status':
      progressText.textContent = m.text;
      return;
    case 'progress':
      progress.value = m.fraction;
      progressText.textContent = m.text;
      return;
    case 'lrFind':
      suggestion = m.result.suggestion;
      charts.showLrFind(m.result);
      say(`lr_find: suggested learning rate ${suggestion.toPrecision(2)} (the minimum's lr / 10)`);
      progressText.textContent = '';
      finish();
      return;
    case 'summary':
      byId('t-summary').replaceChildren(summaryTable(m.summary));
      return;
    case 'preview':
      byId('t-preview').replaceChildren(previewGrid(m.pixels, m.n));
      byId('t-preview-box', HTMLDetailsElement).open = true;
      return;
    case 'model': {
      const json = {
        ...m.artifacts.json,
        weightsManifest: m.artifacts.json.weightsManifest.map((w) => ({
          ...w,
          paths: [`${m.name}.weights.bin`],
        })),
      };
      download(new Blob([JSON.stringify(json)], { type: 'application/json' }), `${m.name}.json`);
      download(new Blob([m.artifacts.weights]), `${m.name}.weights.bin`);
      return;
    }
    case 'evaluated': {
      const box = byId('t-loaded');
      box.replaceChildren();
      const p = document.createElement('p');
      p.id = 't-loaded-accuracy';
      p.textContent = `${m.name}: accuracy ${pct(m.report.evaluation.accuracy)} on the 10,000 validation images`;
      box.append(p);
      renderReport(box, 'Confusion matrix', m.report);
      byId('t-loaded-box', HTMLDetailsElement).open = true;
      say(p.textContent);
      progressText.textContent = '';
      finish();
      return;
    }
    case 'benchmark':
      say(`${m.backend}: ${m.imagesPerSecond.toFixed(1)} training images per second`);
      return;
    case 'workers':
      byId('t-workers-note').textContent = m.text;
      return;
    case 'memory':
      return;
    case 'error':
      onError(m);
      return;
    default: {
      const run = current;
      if (!run) return;
      if (applyMessage(run, m)) persist(run);
      redraw();
      if (m.type === 'done') {
        progress.value = m.result.stopped ? progress.value : 1;
        progressText.textContent = m.result.stopped
          ? 'stopped; the last finished epoch is kept (Resume continues it)'
          : 'done';
        say(
          m.result.stopped
            ? `${run.label} stopped after ${String(run.members[0]?.logs.filter((l) => l.train === 'eval').length ?? 0)} epoch(s)`
            : `${run.label}: accuracy ${pct(m.result.accuracy)} in ${m.result.seconds.toFixed(1)} s`,
        );
        finish();
        renderResults();
      } else if (m.type === 'epoch') {
        renderRuns();
      }
    }
  }
};

const onError = (m: Extract<FromWorker, { type: 'error' }>): void => {
  // A run's fault is said with the run's name; the NaN message names the lr of that step.
  const who = m.request === 'train' && current ? current.label : m.request;
  say(`${who}: ${m.message}`, 'error');
  progressText.textContent = '';
  if (m.request === 'train' && current?.status === 'running') {
    current.status = m.kind === 'nan' ? 'failed' : 'stopped';
    current.message = m.kind === 'nan' ? 'the loss became NaN' : m.message;
    persist(current);
    renderResults();
  }
  if ((m.request === 'train' || m.request === 'lrFind' || m.kind === 'memory') && workerBackend) {
    // A failed run may leave tensors behind: start afresh so the next run has the whole device.
    startWorker(workerBackend);
  }
  finish();
};

// ---------- actions ----------

const train = (): void => {
  const { config, backend } = check();
  if (!config) {
    say('fix the marked settings first', 'error');
    return;
  }
  // The backend in use when the worker already runs this setting ('auto' resolved), else the setting.
  const run = newRun(
    config,
    workerBackend === backend && backendName ? backendName : backend,
    runs.length,
  );
  runs.push(run);
  progress.value = 0;
  launch(run, backend, false);
};

/** Hands a run to the worker: a new one, or a stopped one to continue from its checkpoint. */
const launch = (run: RunRecord, backend: BackendSetting, resume: boolean): void => {
  ensureWorker(backend);
  current = run;
  run.status = 'running';
  run.message = '';
  busy = 'train';
  persist(run);
  say(
    resume
      ? `resuming ${run.label} from its last checkpoint`
      : `training ${describeConfig(run.config)}`,
  );
  post({ type: 'train', runId: run.id, config: run.config, resume });
  renderAll();
  updateButtons();
};

const resume = (run: RunRecord): void => {
  const backend = BACKEND_SETTINGS.includes(run.config.backend as BackendSetting)
    ? (run.config.backend as BackendSetting)
    : (select('t-backend').value as BackendSetting);
  launch(run, backend, true);
};

const exportCsv = async (run: RunRecord, name: 'metrics.csv' | 'recorder.csv'): Promise<void> => {
  // What trainRun wrote (the same files as the CLI's), kept with the run and in IndexedDB.
  const kept = name === 'metrics.csv' ? run.metricsCsv : run.recorderCsv;
  const text = kept !== '' ? kept : await idbGet<string>('reports', `${run.id}/${name}`);
  if (text === undefined) {
    say(`${run.label} has no ${name} yet: it is written when a run ends or is stopped`, 'error');
    return;
  }
  download(new Blob([text], { type: 'text/csv' }), `${run.id}-${name}`);
};

const remove = async (run: RunRecord): Promise<void> => {
  runs = runs.filter((r) => r !== run);
  overlays.delete(run.id);
  if (current === run) current = runs.at(-1) ?? null;
  await forgetRun(run.id);
  renderAll();
};

const loadModel = async (files: FileList): Promise<void> => {
  const list = [...files];
  const jsonFile = list.find((f) => f.name.endsWith('.json'));
  const binFile = list.find((f) => !f.name.endsWith('.json'));
  if (!jsonFile || !binFile) {
    say('choose both files of a saved model: the .json and its weights (.bin), together', 'error');
    return;
  }
  const { backend } = check();
  ensureWorker(backend);
  busy = 'evaluate';
  updateButtons();
  const weights = await binFile.arrayBuffer();
  post({ type: 'evaluateModel', name: jsonFile.name, json: await jsonFile.text(), weights }, [
    weights,
  ]);
};

// ---------- wiring ----------

const presets = byId('t-presets');
for (const p of PRESETS) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = p.label;
  b.onclick = () => {
    writeSettings({ ...readSettings(), ...p.settings });
    const { config } = check();
    say(
      config
        ? `preset “${p.label}”: ${describeConfig(config)}`
        : `preset “${p.label}”: fix the marked settings first`,
    );
  };
  presets.append(b);
}

form.addEventListener('input', () => {
  check();
});
form.addEventListener('submit', (e) => {
  e.preventDefault();
});
select('t-opt').addEventListener('change', () => {
  renderHyperCells(hyperDefaults(select('t-opt').value as OptimizerName));
  check();
});
select('t-model').addEventListener('change', () => {
  post({ type: 'summary', model: select('t-model').value as ModelName });
});
select('t-backend').addEventListener('change', () => {
  if (busy === null) startWorker(select('t-backend').value as BackendSetting);
});
button('t-train').onclick = train;
button('t-stop').onclick = () => {
  post({ type: 'stop' });
  progressText.textContent = 'stopping after this batch…';
};
button('t-lrfind').onclick = () => {
  const { config, backend } = check();
  if (!config) return;
  ensureWorker(backend);
  busy = 'lrFind';
  updateButtons();
  post({ type: 'lrFind', config });
};
button('t-use-lr').onclick = () => {
  if (suggestion === null) return;
  input('t-lr').value = suggestion.toPrecision(2);
  check();
  say(`lr set to ${input('t-lr').value}`);
};
button('t-preview-btn').onclick = () => {
  const s = readSettings();
  post({ type: 'preview', aug: s.aug, seed: Number(s.seed) || 0 });
};
input('t-load').addEventListener('change', () => {
  const files = input('t-load').files;
  if (files?.length) void loadModel(files);
  input('t-load').value = '';
});

/** Sets the form from the page's link (`#lr=0.02&opt=adam…`), saying what it ignored. */
const applyLink = (): void => {
  const { settings, errors: ignored } = parseTrainLink(location.hash);
  writeSettings(settings);
  const { config } = check();
  if (ignored.length) say(ignored.join('; '), 'error');
  else if (config) say(`settings from the link: ${describeConfig(config)}`);
};
window.addEventListener('hashchange', applyLink);
button('t-copy-link').onclick = () => {
  const hash = formatTrainLink(readSettings());
  history.replaceState(null, '', hash ? `#${hash}` : location.pathname + location.search);
  navigator.clipboard.writeText(location.href).then(
    () => {
      say('link copied: it reproduces these settings');
    },
    () => {
      say(`copy this link: ${location.href}`);
    },
  );
};

writeSettings(storedSettings());
if (location.hash.length > 1) applyLink();
const first = check();
startWorker(first.backend);
runs = await loadRuns((ids) => {
  say(
    `${String(ids.length)} saved run(s) in this browser's storage are damaged and not shown (${ids.join(', ')}); they are kept as they are`,
    'error',
  );
}).catch((err: unknown) => {
  say(`could not read earlier runs: ${(err as Error).message}`, 'error');
  return [];
});
current = runs.at(-1) ?? null;
renderAll();

declare global {
  interface Window {
    gradsheetTrain: {
      readonly charts: typeof charts;
      runs(): readonly RunRecord[];
      current(): RunRecord | null;
      backend(): string;
      /** Training img/s of the training worker (workers 1) or of that many gradient workers. */
      benchmark(model: string, bs: number, steps: number, workers?: number): Promise<number>;
      /** The training worker's live tensors (tf.memory().numTensors). */
      tensors(): Promise<number>;
      /** The cores the page counts (its default number of gradient workers on wasm). */
      cores(): number;
    };
  }
}
window.gradsheetTrain = {
  charts,
  runs: () => runs,
  current: () => current,
  backend: () => backendName,
  benchmark: (model, bs, steps, workers = 1) =>
    new Promise((resolve, reject) => {
      const w = worker;
      if (!w || !isModelName(model)) {
        reject(new Error(w ? `no model '${model}'` : 'no worker'));
        return;
      }
      const listen = (e: MessageEvent<FromWorker>): void => {
        if (e.data.type === 'benchmark') {
          w.removeEventListener('message', listen);
          resolve(e.data.imagesPerSecond);
        } else if (e.data.type === 'error' && e.data.request === 'benchmark') {
          w.removeEventListener('message', listen);
          reject(new Error(e.data.message));
        }
      };
      w.addEventListener('message', listen);
      post({ type: 'benchmark', model, bs, steps, workers });
    }),
  cores: () => BROWSER_ENV.cores,
  tensors: () =>
    new Promise((resolve, reject) => {
      const w = worker;
      if (!w) {
        reject(new Error('no worker'));
        return;
      }
      const listen = (e: MessageEvent<FromWorker>): void => {
        if (e.data.type !== 'memory') return;
        w.removeEventListener('message', listen);
        resolve(e.data.numTensors);
      };
      w.addEventListener('message', listen);
      post({ type: 'memory' });
    }),
};
