import type { Chart } from 'chart.js';
import type { Line } from './charts.ts';
import { lineChart } from './charts.ts';
import type { Curve } from './schedule-curves.ts';

const OWN_COLOURS = { lr: '#2563eb', beta1: '#ea580c' } as const;
/** PyTorch's curves as wide pale bands: a curve of the student's lying on one shows inside it. */
const REFERENCE_COLOURS = [
  'rgba(107, 114, 128, 0.45)',
  'rgba(22, 163, 74, 0.4)',
  'rgba(147, 51, 234, 0.35)',
];

/** The schedule preview: the student's curves as thin lines over PyTorch's pale bands. */
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
        borderWidth: c.own ? 1.5 : 7,
        yAxisID: c.axis === 'lr' ? 'y' : 'y1',
        // chart.js draws a lower order later, on top: the student's curves over the bands.
        order: c.own ? 0 : 1,
      }));
      chart.update('none');
    },
  };
};
