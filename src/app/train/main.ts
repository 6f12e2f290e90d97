import '../styles.css';
import './train.css';
import type { ModelName } from '../../training/index.ts';
import { DEFAULT_AUG_PER, isAugmentPer, ttaViewsOf } from '../../training/index.ts';
import { byId } from '../dom.ts';
import { SHEET_STATE_KEY } from '../sheet-storage.ts';
import { updateButtons } from './buttons.ts';
import { createTrainCharts } from './charts.ts';
import { createController } from './controller.ts';
import {
  button,
  fillForm,
  input,
  readSettings,
  select,
  showErrors,
  writeSettings,
} from './form.ts';
import { wireLink } from './link-actions.ts';
import { say } from './message.ts';
import { createOwnRule } from './own-rule.ts';
import { createOwnSchedule } from './own-schedule.ts';
import { createPreviewChart } from './preview-chart.ts';
import { renderPresets } from './presets.ts';
import type { BackendSetting, FromWorker } from './protocol.ts';
import { loadRuns } from './runs.ts';
import { parseSettings } from './settings.ts';
import { SETTINGS_KEY, settingsFromStore, settingsToStore } from './settings-storage.ts';
import { sheetRules } from './sheet-rules.ts';
import { createState } from './state.ts';
import { installHooks } from './test-hooks.ts';
import { createWorkerClient } from './worker-client.ts';
import { createMessageHandler } from './worker-messages.ts';

const state = createState();
fillForm();

const storedSheetRules = (): ReturnType<typeof sheetRules> => {
  try {
    return sheetRules(localStorage.getItem(SHEET_STATE_KEY));
  } catch {
    return [];
  }
};
const preview = createPreviewChart(byId('t-chart-preview', HTMLCanvasElement));
const ownRule = createOwnRule(storedSheetRules(), () => {
  check();
});
const ownSchedule = createOwnSchedule(preview, () => {
  check();
});

/** Checks the form, marks what is wrong, saves it, and allows Train only when all is well. */
const check = (): ReturnType<typeof parseSettings> => {
  const s = readSettings();
  const parsed = parseSettings(s);
  state.errors = parsed.errors;
  showErrors(parsed.errors);
  ownRule.showErrors();
  ownSchedule.showErrors();
  ownSchedule.redraw();
  localStorage.setItem(SETTINGS_KEY, settingsToStore(s));
  updateButtons(state);
  return parsed;
};

let onMessage: (m: FromWorker) => void = () => undefined;
const client = createWorkerClient(
  (m) => {
    onMessage(m);
  },
  (text) => {
    say(text, 'error');
  },
  () => [{ type: 'summary', model: select('t-model').value as ModelName }],
);
const charts = createTrainCharts({
  loss: byId('t-chart-loss', HTMLCanvasElement),
  valid: byId('t-chart-valid', HTMLCanvasElement),
  sched: byId('t-chart-sched', HTMLCanvasElement),
  lrFind: byId('t-chart-lrfind', HTMLCanvasElement),
});
const page = createController(state, client, charts);
onMessage = createMessageHandler(state, client, charts, page);
const progressText = byId('t-progress-text');

renderPresets(check);
const form = byId('t-form', HTMLFormElement);
form.addEventListener('input', () => {
  check();
});
form.addEventListener('submit', (e) => {
  e.preventDefault();
});
const previous = { opt: '', sched: '' };
const remember = (): void => {
  ownRule.syncStart();
  ownSchedule.syncStart();
  previous.opt = select('t-opt').value;
  previous.sched = select('t-sched').value;
};
select('t-opt').addEventListener('change', () => {
  ownRule.picked(previous.opt);
  remember();
  check();
});
select('t-sched').addEventListener('change', () => {
  ownSchedule.picked(previous.sched);
  remember();
  check();
});
select('t-model').addEventListener('change', () => {
  client.post({ type: 'summary', model: select('t-model').value as ModelName });
});
select('t-backend').addEventListener('change', () => {
  if (state.busy === null) client.start(select('t-backend').value as BackendSetting);
});
button('t-train').onclick = () => {
  page.train(check());
};
button('t-stop').onclick = () => {
  client.post({ type: 'stop' });
  progressText.textContent = 'stopping after this batch…';
};
button('t-lrfind').onclick = () => {
  const { config, backend } = check();
  if (!config) return;
  client.ensure(backend);
  state.busy = 'lrFind';
  updateButtons(state);
  client.post({ type: 'lrFind', config });
};
button('t-use-lr').onclick = () => {
  if (state.suggestion === null) return;
  input('t-lr').value = state.suggestion.toPrecision(2);
  check();
  say(`lr set to ${input('t-lr').value}`);
};
button('t-preview-btn').onclick = () => {
  const s = readSettings();
  client.post({
    type: 'preview',
    aug: s.aug,
    augPer: isAugmentPer(s.augPer) ? s.augPer : DEFAULT_AUG_PER,
    seed: Number(s.seed) || 0,
  });
};
input('t-load').addEventListener('change', () => {
  const files = input('t-load').files;
  if (!files?.length) return;
  const { config, backend } = check();
  // the form's TTA settings, as a run would use them; none while the form has an error
  const views = ttaViewsOf(config ?? { tta: false });
  void page.loadModel(files, backend, views);
  input('t-load').value = '';
});

const applyLink = wireLink(() => {
  remember();
  return check();
});

const storedSettings = () => {
  try {
    return settingsFromStore(localStorage.getItem(SETTINGS_KEY));
  } catch {
    return settingsFromStore(null);
  }
};
writeSettings(storedSettings());
remember();
if (location.hash.length > 1) applyLink();
client.start(check().backend);
state.runs = await loadRuns((ids) => {
  say(
    `${String(ids.length)} saved run(s) in this browser's storage are damaged and not shown (${ids.join(', ')}); they are kept as they are`,
    'error',
  );
}).catch((err: unknown) => {
  say(`could not read earlier runs: ${(err as Error).message}`, 'error');
  return [];
});
state.current = state.runs.at(-1) ?? null;
page.renderAll();
installHooks(state, client, charts, preview);
