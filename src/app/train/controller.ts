import { download } from '../download.ts';
import { byId } from '../dom.ts';
import { updateButtons } from './buttons.ts';
import type { TrainCharts } from './charts.ts';
import { select } from './form.ts';
import { idbGet } from './idb.ts';
import { say } from './message.ts';
import type { BackendSetting, TtaViews } from './protocol.ts';
import { BACKEND_SETTINGS } from './protocol.ts';
import { renderEpochs, renderResults } from './results.ts';
import type { RunRecord } from './run-record.ts';
import { describeConfig, newRun } from './run-record.ts';
import { renderRuns } from './run-table.ts';
import { forgetRun, saveRun } from './runs.ts';
import type { parseSettings } from './settings.ts';
import type { TrainState } from './state.ts';
import type { WorkerClient } from './worker-client.ts';

/** The Train tab's actions on its runs, and how the page shows them. */
export interface Controller {
  /** Redraws the charts and the epoch table at the next frame. */
  redraw(): void;
  renderAll(): void;
  renderRuns(): void;
  /** Saves a run in IndexedDB, saying so if it cannot. */
  persist(run: RunRecord): void;
  /** The worker's request ended: the buttons and run table allow the next. */
  finish(): void;
  train(parsed: ReturnType<typeof parseSettings>): void;
  resume(run: RunRecord): void;
  loadModel(files: FileList, backend: BackendSetting, views: TtaViews): Promise<void>;
}

export const createController = (
  state: TrainState,
  client: WorkerClient,
  charts: TrainCharts,
): Controller => {
  const progress = byId('t-progress', HTMLProgressElement);
  let drawPending = false;
  const redraw = (): void => {
    if (drawPending) return;
    drawPending = true;
    requestAnimationFrame(() => {
      drawPending = false;
      charts.show(
        state.current,
        state.runs.filter((r) => state.overlays.has(r.id)),
      );
      renderEpochs(state.current);
    });
  };
  const persist = (run: RunRecord): void => {
    saveRun(run).catch((err: unknown) => {
      say(`could not save the run in this browser's storage: ${(err as Error).message}`, 'error');
    });
  };
  /** Hands a run to the worker: a new one, or a stopped one to continue from its checkpoint. */
  const launch = (run: RunRecord, backend: BackendSetting, resume: boolean): void => {
    client.ensure(backend);
    state.current = run;
    run.status = 'running';
    run.message = '';
    state.busy = 'train';
    persist(run);
    say(
      resume
        ? `resuming ${run.label} from its last checkpoint`
        : `training ${describeConfig(run.config)}`,
    );
    client.post({ type: 'train', runId: run.id, config: run.config, resume });
    renderAll();
    updateButtons(state);
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
    state.runs = state.runs.filter((r) => r !== run);
    state.overlays.delete(run.id);
    if (state.current === run) state.current = state.runs.at(-1) ?? null;
    await forgetRun(run.id);
    renderAll();
  };
  const showRuns = (): void => {
    renderRuns(state, {
      show: (r) => {
        state.current = r;
        renderAll();
      },
      overlay: (r, on) => {
        if (on) state.overlays.add(r.id);
        else state.overlays.delete(r.id);
        redraw();
      },
      resume,
      exportCsv: (r, name) => void exportCsv(r, name),
      exportModel: (r) => {
        client.post({ type: 'exportModel', runId: r.id, member: 0 });
      },
      remove: (r) => void remove(r),
    });
  };
  const renderAll = (): void => {
    redraw();
    renderResults(state.current);
    showRuns();
  };
  return {
    redraw,
    renderAll,
    renderRuns: showRuns,
    persist,
    finish: () => {
      state.busy = null;
      updateButtons(state);
      showRuns();
    },
    train: ({ config, backend }) => {
      if (!config) {
        say('fix the marked settings first', 'error');
        return;
      }
      // The backend in use when the worker already runs this setting ('auto' resolved), else the setting.
      const name = client.backendName();
      const run = newRun(
        config,
        client.setting() === backend && name ? name : backend,
        state.runs.length,
      );
      state.runs.push(run);
      progress.value = 0;
      launch(run, backend, false);
    },
    resume,
    loadModel: async (files, backend, views) => {
      const list = [...files];
      const jsonFile = list.find((f) => f.name.endsWith('.json'));
      const binFile = list.find((f) => !f.name.endsWith('.json'));
      if (!jsonFile || !binFile) {
        say(
          'choose both files of a saved model: the .json and its weights (.bin), together',
          'error',
        );
        return;
      }
      client.ensure(backend);
      state.busy = 'evaluate';
      updateButtons(state);
      const weights = await binFile.arrayBuffer();
      client.post(
        {
          type: 'evaluateModel',
          name: jsonFile.name,
          json: await jsonFile.text(),
          weights,
          views,
        },
        [weights],
      );
    },
  };
};
