import type { ChartDataset } from 'chart.js';
import { Chart } from '../chart-setup.ts';
import type { LrFindResult } from '../../training/index.ts';
import type { RunRecord } from './run-record.ts';
import { memberLogs } from './run-record.ts';

export type Line = ChartDataset<'line', { x: number; y: number }[]>;

const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#6b7280'];
export const colourOf = (i: number): string => PALETTE[i % PALETTE.length] ?? '#000';

export const lineChart = (
  canvas: HTMLCanvasElement,
  x: { title: string; log?: boolean },
  y: { title: string; right?: string },
): Chart<'line', { x: number; y: number }[]> =>
  new Chart(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      animation: false,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      elements: { point: { radius: 0 }, line: { borderWidth: 1.5 } },
      interaction: { mode: 'nearest', intersect: false },
      plugins: { legend: { labels: { boxWidth: 12, font: { size: 11 } } } },
      scales: {
        x: {
          type: x.log ? 'logarithmic' : 'linear',
          title: { display: true, text: x.title },
        },
        y: { type: 'linear', title: { display: true, text: y.title } },
        ...(y.right
          ? {
              y1: {
                type: 'linear',
                position: 'right',
                title: { display: true, text: y.right },
                grid: { drawOnChartArea: false },
              },
            }
          : {}),
      },
    },
  });

const points = (ys: readonly number[], xs?: readonly number[]): { x: number; y: number }[] =>
  ys.map((y, i) => ({ x: xs?.[i] ?? i, y }));

/** The loss recorded at the lr closest (in log scale) to `lr`. */
const lossNear = (r: LrFindResult, lr: number): number => {
  let best = 0;
  r.lrs.forEach((x, i) => {
    if (Math.abs(Math.log(x / lr)) < Math.abs(Math.log((r.lrs[best] ?? x) / lr))) best = i;
  });
  return r.losses[best] ?? NaN;
};

export interface TrainCharts {
  readonly loss: Chart<'line', { x: number; y: number }[]>;
  readonly valid: Chart<'line', { x: number; y: number }[]>;
  readonly sched: Chart<'line', { x: number; y: number }[]>;
  readonly lrFind: Chart<'line', { x: number; y: number }[]>;
  /** Redraws the run charts: `current` in full colour, `overlays` beside it. */
  show(current: RunRecord | null, overlays: readonly RunRecord[]): void;
  showLrFind(r: LrFindResult): void;
}

export const createTrainCharts = (els: {
  loss: HTMLCanvasElement;
  valid: HTMLCanvasElement;
  sched: HTMLCanvasElement;
  lrFind: HTMLCanvasElement;
}): TrainCharts => {
  const loss = lineChart(els.loss, { title: 'training batch' }, { title: 'loss' });
  const valid = lineChart(
    els.valid,
    { title: 'epoch' },
    { title: 'validation loss', right: 'accuracy' },
  );
  const sched = lineChart(els.sched, { title: 'training batch' }, { title: 'lr', right: 'β₁' });
  const lrFind = lineChart(els.lrFind, { title: 'learning rate', log: true }, { title: 'loss' });
  valid.options.elements = { point: { radius: 2 }, line: { borderWidth: 1.5 } };
  return {
    loss,
    valid,
    sched,
    lrFind,
    show(current, overlays) {
      const runs = [...(current ? [current] : []), ...overlays.filter((r) => r !== current)];
      loss.data.datasets = runs.map((r, i): Line => ({
        label: `${r.label} loss`,
        data: points(r.members[0]?.batchLosses ?? []),
        borderColor: colourOf(r.colour),
        borderWidth: i === 0 ? 1.5 : 1,
      }));
      valid.data.datasets = runs.flatMap((r): Line[] => {
        const evals = memberLogs(r, 0).filter((l) => l.train === 'eval');
        const xs = evals.map((l) => l.epoch + 1);
        return [
          {
            label: `${r.label} loss`,
            data: points(
              evals.map((l) => l.loss),
              xs,
            ),
            borderColor: colourOf(r.colour),
            yAxisID: 'y',
          },
          {
            label: `${r.label} accuracy`,
            data: points(
              evals.map((l) => l.accuracy),
              xs,
            ),
            borderColor: colourOf(r.colour),
            borderDash: [5, 3],
            yAxisID: 'y1',
          },
        ];
      });
      const m = current?.members[0];
      sched.data.datasets = m
        ? [
            { label: 'lr', data: points(m.lrs), borderColor: '#2563eb', yAxisID: 'y' },
            ...(m.beta1s.length
              ? [
                  {
                    label: 'β₁',
                    data: points(m.beta1s),
                    borderColor: '#ea580c',
                    yAxisID: 'y1',
                  } satisfies Line,
                ]
              : []),
          ]
        : [];
      loss.update('none');
      valid.update('none');
      sched.update('none');
    },
    showLrFind(r) {
      lrFind.data.datasets = [
        { label: 'loss', data: points(r.losses, r.lrs), borderColor: '#2563eb' },
        {
          label: `suggested lr ${r.suggestion.toPrecision(2)}`,
          data: [{ x: r.suggestion, y: lossNear(r, r.suggestion) }],
          borderColor: '#dc2626',
          backgroundColor: '#dc2626',
          pointRadius: 6,
          pointStyle: 'triangle',
          showLine: false,
        },
      ];
      lrFind.update('none');
    },
  };
};
