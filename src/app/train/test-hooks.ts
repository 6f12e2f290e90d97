import { isModelName } from '../../training/index.ts';
import type { TrainCharts } from './charts.ts';
import type { PreviewChart } from './preview-chart.ts';
import type { RunRecord } from './run-record.ts';
import { BROWSER_ENV } from './settings.ts';
import type { TrainState } from './state.ts';
import type { WorkerClient } from './worker-client.ts';

/** What the browser tests and the benchmark read of the Train tab (`window.gradsheetTrain`). */
export interface TrainHooks {
  readonly charts: TrainCharts;
  runs(): readonly RunRecord[];
  current(): RunRecord | null;
  backend(): string;
  /** The schedule preview's lines as drawn: each one's label and points. */
  preview(): { label: string; points: { x: number; y: number }[] }[];
  /** Training img/s of the training worker (workers 1) or of that many gradient workers. */
  benchmark(model: string, bs: number, steps: number, workers?: number): Promise<number>;
  /** The training worker's live tensors (tf.memory().numTensors). */
  tensors(): Promise<number>;
  /** The cores the page counts (its default number of gradient workers on wasm). */
  cores(): number;
}

declare global {
  interface Window {
    gradsheetTrain: TrainHooks;
  }
}

export const installHooks = (
  state: TrainState,
  client: WorkerClient,
  charts: TrainCharts,
  preview: PreviewChart,
): void => {
  window.gradsheetTrain = {
    charts,
    runs: () => state.runs,
    current: () => state.current,
    backend: () => client.backendName(),
    preview: () =>
      preview.chart.data.datasets.map((d) => ({ label: d.label ?? '', points: [...d.data] })),
    benchmark: (model, bs, steps, workers = 1) =>
      new Promise((resolve, reject) => {
        if (!isModelName(model)) {
          reject(new Error(`no model '${model}'`));
          return;
        }
        const stop = client.listen((m) => {
          if (m.type === 'benchmark') {
            stop?.();
            resolve(m.imagesPerSecond);
          } else if (m.type === 'error' && m.request === 'benchmark') {
            stop?.();
            reject(new Error(m.message));
          }
        });
        if (!stop) {
          reject(new Error('no worker'));
          return;
        }
        client.post({ type: 'benchmark', model, bs, steps, workers });
      }),
    cores: () => BROWSER_ENV.cores,
    tensors: () =>
      new Promise((resolve, reject) => {
        const stop = client.listen((m) => {
          if (m.type !== 'memory') return;
          stop?.();
          resolve(m.numTensors);
        });
        if (!stop) {
          reject(new Error('no worker'));
          return;
        }
        client.post({ type: 'memory' });
      }),
  };
};
