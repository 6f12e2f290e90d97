import type { EpochLog, ModelSummary } from '../../training/index.ts';
import { CLASSES, formatLoss, shownEpoch, SIDE, X_MEAN, X_STD } from '../../training/index.ts';
import type { EvaluationReport } from './protocol.ts';

const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text = '',
  className = '',
): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  if (text) e.textContent = text;
  if (className) e.className = className;
  return e;
};

const row = (cells: readonly string[], tag: 'td' | 'th' = 'td'): HTMLTableRowElement => {
  const tr = el('tr');
  for (const c of cells) tr.append(el(tag, c));
  return tr;
};

/** A table with a header row and body rows. */
export const table = (
  header: readonly string[],
  rows: readonly (readonly string[])[],
  className = 'data-table',
): HTMLTableElement => {
  const t = el('table', '', className);
  t.createTHead().append(row(header, 'th'));
  const body = t.createTBody();
  for (const r of rows) body.append(row(r));
  return t;
};

/** The per-epoch rows as miniai prints them: accuracy, loss, epoch (from 1), train, time. */
export const EPOCH_HEADER = ['member', 'accuracy', 'loss', 'epoch', 'train', 'time'] as const;
export const epochRow = (member: number, log: EpochLog): string[] => [
  String(member),
  log.accuracy.toFixed(3),
  formatLoss(log.loss),
  String(shownEpoch(log.epoch)),
  log.train,
  `${log.seconds.toFixed(1)}s`,
];

/** Paints one 28×28 image (raw bytes, or normalised floats) onto a new canvas, scaled up. */
export const digit = (
  pixels: ArrayLike<number>,
  normalised: boolean,
  scale = 3,
): HTMLCanvasElement => {
  const canvas = el('canvas');
  canvas.width = SIDE;
  canvas.height = SIDE;
  canvas.style.width = `${String(SIDE * scale)}px`;
  canvas.style.height = `${String(SIDE * scale)}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) return canvas;
  const img = ctx.createImageData(SIDE, SIDE);
  for (let i = 0; i < SIDE * SIDE; i++) {
    const raw = pixels[i] ?? 0;
    const v = normalised ? (raw * X_STD + X_MEAN) * 255 : raw;
    const g = 255 - Math.max(0, Math.min(255, Math.round(v)));
    img.data[i * 4] = g;
    img.data[i * 4 + 1] = g;
    img.data[i * 4 + 2] = g;
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return canvas;
};

/** Confusion matrix (rows: true class, columns: predicted), shaded by row share, with per-class accuracy. */
export const confusionTable = (r: EvaluationReport): HTMLTableElement => {
  const { confusion, perClass } = r.evaluation;
  const t = el('table', '', 'confusion');
  t.createTHead().append(
    row(['true \\ predicted', ...CLASSES.map((c) => c.slice(0, 5)), 'accuracy'], 'th'),
  );
  const body = t.createTBody();
  confusion.forEach((counts, i) => {
    const tr = el('tr');
    tr.append(el('th', CLASSES[i] ?? String(i)));
    const total = counts.reduce((a, v) => a + v, 0) || 1;
    counts.forEach((n, j) => {
      const td = el('td', String(n));
      const share = n / total;
      td.style.background =
        i === j
          ? `rgba(22, 163, 74, ${String(share)})`
          : `rgba(220, 38, 38, ${String(Math.min(1, share * 3))})`;
      tr.append(td);
    });
    const acc = perClass[i] ?? NaN;
    tr.append(el('td', Number.isNaN(acc) ? '–' : `${(acc * 100).toFixed(1)}%`, 'per-class'));
    body.append(tr);
  });
  return t;
};

/** The most confidently misclassified images, with their true and predicted classes. */
export const gallery = (r: EvaluationReport): HTMLElement => {
  const box = el('div', '', 'gallery');
  r.evaluation.mistakes.forEach((m, i) => {
    const fig = el('figure');
    fig.append(digit(r.images[i] ?? [], false));
    fig.append(
      el(
        'figcaption',
        `${CLASSES[m.label] ?? '?'} → ${CLASSES[m.pred] ?? '?'} (${(m.confidence * 100).toFixed(0)}%)`,
      ),
    );
    box.append(fig);
  });
  return box;
};

/** miniai's `Learner.summary`: module, input and output shapes, params, MFLOPs. */
export const summaryTable = (s: ModelSummary): HTMLTableElement => {
  const shape = (d: readonly (number | null)[]): string => d.map((v) => v ?? 'bs').join('×');
  return table(
    ['module', 'input', 'output', 'params', 'MFLOPs'],
    [
      ...s.rows.map((r) => [
        r.module,
        shape(r.input),
        shape(r.output),
        r.params.toLocaleString('en'),
        r.mflops.toFixed(2),
      ]),
      ['total', '', '', s.params.toLocaleString('en'), s.mflops.toFixed(1)],
    ],
  );
};

/** A grid of an augmented batch's images (normalised floats, 784 each). */
export const previewGrid = (pixels: Float32Array, n: number): HTMLElement => {
  const box = el('div', '', 'preview');
  for (let i = 0; i < n; i++)
    box.append(digit(pixels.subarray(i * SIDE * SIDE, (i + 1) * SIDE * SIDE), true, 2));
  return box;
};
