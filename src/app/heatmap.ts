import type { LossGrid } from '../sheet/index.ts';

// viridis, 8 stops
const STOPS: readonly [number, number, number][] = [
  [68, 1, 84],
  [70, 50, 127],
  [54, 92, 141],
  [39, 127, 142],
  [31, 161, 135],
  [74, 194, 109],
  [159, 218, 58],
  [253, 231, 37],
];

const colour = (t: number): [number, number, number] => {
  const x = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const a = STOPS[i] ?? [0, 0, 0];
  const b = STOPS[i + 1] ?? a;
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
};

/**
 * Filled contours of log(loss): the colour is quantised into `bands` levels, so the band
 * edges are the contour lines. Low loss is dark.
 */
export const renderHeatmap = (g: LossGrid, bands = 14): HTMLCanvasElement => {
  const canvas = document.createElement('canvas');
  canvas.width = g.nb;
  canvas.height = g.na;
  const ctx = canvas.getContext('2d');
  if (!ctx) return canvas;
  const logs = Array.from(g.loss, (v) => Math.log1p(Math.max(0, v)));
  const finite = logs.filter(Number.isFinite);
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const img = ctx.createImageData(g.nb, g.na);
  for (let j = 0; j < g.na; j++) {
    for (let i = 0; i < g.nb; i++) {
      const v = logs[j * g.nb + i] ?? NaN;
      const t =
        Number.isFinite(v) && hi > lo ? Math.floor(((v - lo) / (hi - lo)) * bands) / bands : 1;
      const [r, gr, b] = colour(t);
      const k = ((g.na - 1 - j) * g.nb + i) * 4; // image rows run top-down, slope runs bottom-up
      img.data[k] = r;
      img.data[k + 1] = gr;
      img.data[k + 2] = b;
      img.data[k + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
  return canvas;
};
