import type { Chart } from 'chart.js';
import type { Line } from './charts.ts';
import { lineChart } from './charts.ts';
import type { Curve } from './schedule-curves.ts';

const OWN_COLOURS = { lr: '#2563eb', beta1: '#ea580c' } as const;
const REFERENCE_COLOURS = ['#6b7280', '#16a34a', '#9333ea'];

/** The schedule preview: the student's curves solid, PyTorch's dashed beside them. */
export interface PreviewChart {
  readonly chart: Chart<'line', { x: number; y: number }[]>;
  show(curves: readonly Curve[]): void;
}

export const createPreviewChart = (canvas: HTMLCanvasElement): PreviewChart => {
  const chart = lineChart(canvas, { title: 'optimizer step' }, { title: 'lr', right: 'β₁' });
  return {
    chart,
    show(curves) {
      let reference = 0;
      chart.data.datasets = curves.map((c): Line => ({
        label: c.label,
        data: c.points.map((p) => ({ x: p.x, y: p.y })),
        borderColor: c.own
          ? OWN_COLOURS[c.axis]
          : (REFERENCE_COLOURS[reference++ % REFERENCE_COLOURS.length] ?? '#000'),
        borderWidth: c.own ? 2 : 1.5,
        ...(c.own ? {} : { borderDash: [6, 3] }),
        yAxisID: c.axis === 'lr' ? 'y' : 'y1',
      }));
      chart.update('none');
    },
  };
};
