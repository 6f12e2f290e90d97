import { viewsText } from '../../training/index.ts';
import { download } from '../download.ts';
import { byId } from '../dom.ts';
import { showBackendReady } from './backend-view.ts';
import type { TrainCharts } from './charts.ts';
import type { Controller } from './controller.ts';
import { say } from './message.ts';
import type { FromWorker } from './protocol.ts';
import { pct, renderReport, renderResults } from './results.ts';
import { applyMessage } from './run-record.ts';
import type { TrainState } from './state.ts';
import { previewGrid, summaryTable } from './views.ts';
import type { WorkerClient } from './worker-client.ts';

/** What the page does with each message of the training worker. */
export const createMessageHandler = (
  state: TrainState,
  client: WorkerClient,
  charts: TrainCharts,
  page: Controller,
): ((m: FromWorker) => void) => {
  const progress = byId('t-progress', HTMLProgressElement);
  const progressText = byId('t-progress-text');

  const onError = (m: Extract<FromWorker, { type: 'error' }>): void => {
    // A run's fault is said with the run's name; the NaN message names the lr of that step.
    const run = state.current;
    const who = m.request === 'train' && run ? run.label : m.request;
    say(`${who}: ${m.message}`, 'error');
    progressText.textContent = '';
    if (m.request === 'train' && run?.status === 'running') {
      run.status = m.kind === 'nan' ? 'failed' : 'stopped';
      run.message = m.kind === 'nan' ? 'the loss became NaN' : m.message;
      page.persist(run);
      renderResults(run);
    }
    const backend = client.setting();
    if ((m.request === 'train' || m.request === 'lrFind' || m.kind === 'memory') && backend) {
      // A failed run may leave tensors behind: start afresh so the next run has the whole device.
      client.start(backend);
    }
    page.finish();
  };

  const onRun = (m: FromWorker): void => {
    const run = state.current;
    if (!run) return;
    if (applyMessage(run, m)) page.persist(run);
    page.redraw();
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
      page.finish();
      renderResults(run);
    } else if (m.type === 'epoch') {
      page.renderRuns();
    }
  };

  return (m) => {
    switch (m.type) {
      case 'ready':
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
        state.suggestion = m.result.suggestion;
        charts.showLrFind(m.result);
        say(
          `lr_find: suggested learning rate ${state.suggestion.toPrecision(2)} (the minimum's lr / 10)`,
        );
        progressText.textContent = '';
        page.finish();
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
        p.textContent =
          `${m.name}: accuracy ${pct(m.plainAccuracy)} on the ${m.images.toLocaleString('en')} validation images` +
          (m.ttaAccuracy === null
            ? ''
            : `, ${pct(m.ttaAccuracy)} with TTA (${viewsText(m.views)})`);
        box.append(p);
        renderReport(box, 'Confusion matrix', m.report);
        byId('t-loaded-box', HTMLDetailsElement).open = true;
        say(p.textContent);
        progressText.textContent = '';
        page.finish();
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
      default:
        onRun(m);
    }
  };
};
