import { ttaViewsOf, viewsText } from '../../training/index.ts';
import { byId } from '../dom.ts';
import { lessonRows } from './lesson-rows.ts';
import type { EvaluationReport } from './protocol.ts';
import type { RunRecord } from './run-record.ts';
import { confusionTable, EPOCH_HEADER, epochRow, gallery, table } from './views.ts';

/** A fraction as a percentage, '–' when there is none. */
export const pct = (x: number | null | undefined): string =>
  x === null || x === undefined || Number.isNaN(x) ? '–' : `${(x * 100).toFixed(2)}%`;

/** miniai's per-epoch table of the shown run, every member's rows. */
export const renderEpochs = (run: RunRecord | null): void => {
  const rows = (run?.members ?? []).flatMap((m, k) => m.logs.map((log) => epochRow(k, log)));
  byId('t-epochs-table').replaceChildren(table(EPOCH_HEADER, rows, 'data-table epochs'));
};

/** A confusion matrix with per-class accuracy and the most confident mistakes. */
export const renderReport = (box: HTMLElement, title: string, r: EvaluationReport): void => {
  const h = document.createElement('h3');
  h.textContent = title;
  const g = document.createElement('h3');
  g.textContent = 'Most confident mistakes (true → predicted)';
  box.append(h, confusionTable(r), g, gallery(r));
};

/** The shown run's results: accuracy with and without TTA, each member, the report. */
export const renderResults = (run: RunRecord | null): void => {
  const box = byId('t-results');
  box.replaceChildren();
  const r = run?.result;
  if (!run || !r) {
    const p = document.createElement('p');
    p.className = 'hint';
    p.textContent = !run
      ? 'Train a model to see its results.'
      : run.status === 'running'
        ? 'training… the results appear when the run ends'
        : `${run.status}${run.message ? `: ${run.message}` : ''}`;
    box.append(p);
    return;
  }
  const rows: string[][] = [['accuracy (without TTA)', pct(r.plainAccuracy)]];
  if (r.ttaAccuracy !== null)
    rows.push([`accuracy with TTA (${viewsText(ttaViewsOf(r.config))})`, pct(r.ttaAccuracy)]);
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
  rows.push(...lessonRows(r));
  const t = table(['', run.label], rows, 'data-table results-table');
  t.id = 't-results-table';
  box.append(t);
  if (run.report) renderReport(box, 'Confusion matrix and per-class accuracy', run.report);
};
