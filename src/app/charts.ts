import type { ChartDataset, Plugin } from 'chart.js';
import { Chart } from './chart-setup.ts';
import type { AnySheet, LossGrid, SheetName, Workbook } from '../sheet/index.ts';
import { isSheetName, lossGrid, span } from '../sheet/index.ts';
import { renderHeatmap } from './heatmap.ts';

export const SHEET_COLOURS: Readonly<Record<SheetName, string>> = {
  basic: '#6b7280',
  momentum: '#2563eb',
  rmsprop: '#16a34a',
  adam: '#dc2626',
  adam_ann: '#9333ea',
};

/** Colours of the user's rule sheets, by their place among them. */
const USER_COLOURS = ['#ea580c', '#0891b2', '#db2777', '#65a30d'] as const;

const colourOf = (wb: Workbook, s: string): string =>
  isSheetName(s)
    ? SHEET_COLOURS[s]
    : (USER_COLOURS[wb.userSheets().findIndex((d) => d.name === s) % USER_COLOURS.length] ??
      '#000000');

interface Point {
  x: number;
  y: number;
}

let heat: { grid: LossGrid; canvas: HTMLCanvasElement; key: string } | null = null;

const heatmapPlugin: Plugin<'scatter'> = {
  id: 'gsHeatmap',
  beforeDatasetsDraw(chart) {
    if (!heat) return;
    const { ctx, chartArea, scales } = chart;
    const x = scales.x;
    const y = scales.y;
    if (!x || !y) return;
    const g = heat.grid;
    const x0 = x.getPixelForValue(g.b.min);
    const x1 = x.getPixelForValue(g.b.max);
    const y0 = y.getPixelForValue(g.a.max);
    const y1 = y.getPixelForValue(g.a.min);
    ctx.save();
    ctx.beginPath();
    ctx.rect(chartArea.left, chartArea.top, chartArea.width, chartArea.height);
    ctx.clip();
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(heat.canvas, x0, y0, x1 - x0, y1 - y0);
    ctx.restore();
  },
};

const line = (
  label: string,
  colour: string,
  data: Point[],
  extra: Partial<ChartDataset<'line', Point[]>> = {},
): ChartDataset<'line', Point[]> => ({
  label,
  data,
  borderColor: colour,
  backgroundColor: colour,
  pointRadius: 2,
  borderWidth: 2,
  ...extra,
});

export interface Charts {
  update(wb: Workbook, active: AnySheet): void;
  /** The charts, for tests: their data are what a user sees. */
  readonly rmse: Chart<'line', Point[]>;
  readonly contour: Chart<'scatter', Point[]>;
  readonly lr: Chart<'line', Point[]>;
}

const common = {
  animation: false,
  responsive: true,
  maintainAspectRatio: false,
  parsing: false,
} as const;

/** A line chart of a per-epoch quantity on a log axis. */
const epochChart = (
  canvas: HTMLCanvasElement,
  yTitle: string,
  legend: boolean,
): Chart<'line', Point[]> =>
  new Chart<'line', Point[]>(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      ...common,
      scales: {
        x: { type: 'linear', title: { display: true, text: 'epoch' }, ticks: { precision: 0 } },
        y: { type: 'logarithmic', title: { display: true, text: yTitle } },
      },
      plugins: {
        legend: legend ? { position: 'bottom', labels: { boxWidth: 12 } } : { display: false },
      },
    },
  });

/** rmse per epoch (all optimizers side by side), the loss contour with paths, adam_ann's lr. */
export const createCharts = (
  rmseCanvas: HTMLCanvasElement,
  contourCanvas: HTMLCanvasElement,
  lrCanvas: HTMLCanvasElement,
): Charts => {
  const rmse = epochChart(rmseCanvas, 'rmse (√Σ err²)', true);
  const contour = new Chart<'scatter', Point[]>(contourCanvas, {
    type: 'scatter',
    data: { datasets: [] },
    options: {
      ...common,
      scales: {
        x: { type: 'linear', title: { display: true, text: 'intercept b' } },
        y: { type: 'linear', title: { display: true, text: 'slope a' } },
      },
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
    },
    plugins: [heatmapPlugin],
  });
  const lr = epochChart(lrCanvas, 'lr', false);

  return {
    rmse,
    contour,
    lr,
    update(wb, active) {
      rmse.data.datasets = wb.sheets().map((s) =>
        line(
          wb.def(s).title,
          colourOf(wb, s),
          wb.history(s).map((h) => ({ x: h.epoch, y: h.rmse })),
          {
            borderWidth: s === active ? 3.5 : 1.5,
          },
        ),
      );
      rmse.update();

      const paths = wb.sheets().map((s) => ({
        s,
        points: wb.history(s).map((h) => ({ x: h.intercept, y: h.slope })),
      }));
      const line0 = wb.dataset.line;
      const truth = line0 ? [{ x: line0.intercept, y: line0.slope }] : [];
      const all = [...paths.flatMap((p) => p.points), ...truth];
      const bRange = span(all.map((p) => p.x));
      const aRange = span(all.map((p) => p.y));
      const key = JSON.stringify([bRange, aRange, wb.model, wb.dataSpec]);
      if (heat?.key !== key) {
        const grid = lossGrid(wb.compiledModel, wb.dataset, bRange, aRange, 56, 56);
        heat = { grid, canvas: renderHeatmap(grid), key };
      }
      contour.options.scales = {
        x: {
          type: 'linear',
          min: bRange.min,
          max: bRange.max,
          title: { display: true, text: 'intercept b' },
        },
        y: {
          type: 'linear',
          min: aRange.min,
          max: aRange.max,
          title: { display: true, text: 'slope a' },
        },
      };
      contour.data.datasets = [
        ...paths.map(({ s, points }) => ({
          label: wb.def(s).title,
          data: points,
          showLine: true,
          borderColor: colourOf(wb, s),
          backgroundColor: colourOf(wb, s),
          borderWidth: s === active ? 3 : 1.5,
          pointRadius: 2.5,
        })),
        ...(truth.length
          ? [
              {
                label: 'true (b, a)',
                data: truth,
                pointStyle: 'crossRot' as const,
                pointRadius: 9,
                borderWidth: 3,
                borderColor: '#fff',
                backgroundColor: '#fff',
              },
            ]
          : []),
      ];
      contour.update();

      lr.data.datasets = [
        line(
          'adam_ann lr',
          SHEET_COLOURS.adam_ann,
          wb.history('adam_ann').map((h) => ({ x: h.epoch, y: h.lr })),
          { stepped: true },
        ),
      ];
      lr.update();
    },
  };
};
