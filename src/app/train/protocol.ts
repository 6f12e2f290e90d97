import type {
  AugmentName,
  AugmentPer,
  EpochLog,
  Evaluation,
  LrFindResult,
  ModelArtifacts,
  ModelName,
  ModelSummary,
  RunResult,
  TrainConfig,
  TtaViews,
} from '../../training/index.ts';
import type { BackendChoice, BackendSetting } from '../../core/backends.ts';
import type { AutoPick } from './auto-backend.ts';

/** The backend names live in core/backends.ts (the trainer shares them); re-exported for the page. */
export type { BackendChoice, BackendSetting } from '../../core/backends.ts';
export { BACKEND_SETTINGS } from '../../core/backends.ts';
export type { TtaViews } from '../../training/index.ts';

/** Messages from the page to the training worker. */
export type ToWorker =
  | { readonly type: 'init'; readonly backend: BackendSetting; readonly dataUrl: string }
  | {
      readonly type: 'train';
      readonly runId: string;
      readonly config: TrainConfig;
      readonly resume: boolean;
    }
  | { readonly type: 'stop' }
  | { readonly type: 'lrFind'; readonly config: TrainConfig }
  | { readonly type: 'summary'; readonly model: ModelName }
  | {
      readonly type: 'preview';
      readonly aug: readonly AugmentName[];
      readonly augPer: AugmentPer;
      readonly seed: number;
    }
  | { readonly type: 'exportModel'; readonly runId: string; readonly member: number }
  | {
      readonly type: 'evaluateModel';
      readonly name: string;
      readonly json: string;
      readonly weights: ArrayBuffer;
      /** The test-time views of the form's TTA settings, besides the plain images. */
      readonly views: TtaViews;
    }
  | {
      readonly type: 'benchmark';
      readonly model: ModelName;
      readonly bs: number;
      readonly steps: number;
      /** Gradient workers (1: the training worker alone). */
      readonly workers: number;
    }
  | { readonly type: 'memory' };

/** The images of the most confident mistakes, 784 bytes each, beside the evaluation. */
export interface EvaluationReport {
  readonly evaluation: Evaluation;
  readonly images: readonly Uint8Array[];
}

export type ErrorKind = 'nan' | 'memory' | 'data' | 'stopped' | 'other';

/** Messages from the training worker to the page. */
export type FromWorker =
  | {
      readonly type: 'ready';
      readonly backend: BackendChoice;
      /** Problems on the way: a backend that did not start, WebGL in software. */
      readonly notices: readonly string[];
      /** The software renderer the backend runs on (SwiftShader), or null for a GPU or the CPU. */
      readonly software: string | null;
      /** What 'auto' picked and why; null for a backend the user chose. */
      readonly auto: AutoPick | null;
    }
  | { readonly type: 'status'; readonly text: string }
  | {
      readonly type: 'progress';
      readonly fraction: number;
      readonly text: string;
    }
  | {
      readonly type: 'batch';
      readonly member: number;
      readonly step: number;
      readonly loss: number;
      readonly lr: number;
      readonly beta1: number | null;
    }
  | { readonly type: 'epoch'; readonly member: number; readonly log: EpochLog }
  | {
      readonly type: 'resumed';
      readonly member: number;
      readonly epoch: number;
      readonly logs: readonly EpochLog[];
      readonly batchLosses: readonly number[];
      readonly records: Readonly<Record<string, readonly number[]>>;
    }
  | {
      readonly type: 'done';
      readonly runId: string;
      readonly result: RunResult;
      readonly report: EvaluationReport | null;
      readonly metricsCsv: string;
      readonly recorderCsv: string;
    }
  | { readonly type: 'lrFind'; readonly result: LrFindResult }
  | { readonly type: 'summary'; readonly summary: ModelSummary }
  | { readonly type: 'preview'; readonly pixels: Float32Array; readonly n: number }
  | { readonly type: 'model'; readonly name: string; readonly artifacts: ModelArtifacts }
  | {
      readonly type: 'evaluated';
      readonly name: string;
      /** Of the final predictions: with the views when there are any. */
      readonly report: EvaluationReport;
      readonly images: number;
      readonly plainAccuracy: number;
      /** With the views averaged in; null without any. */
      readonly ttaAccuracy: number | null;
      readonly views: TtaViews;
    }
  | { readonly type: 'benchmark'; readonly imagesPerSecond: number; readonly backend: string }
  /** How many gradient workers a run uses, and why not more (or how BatchNorm then works). */
  | { readonly type: 'workers'; readonly workers: number; readonly text: string }
  /** The training worker's live tensors (tf.memory), for the tests. */
  | { readonly type: 'memory'; readonly numTensors: number }
  | {
      readonly type: 'error';
      readonly request: ToWorker['type'];
      readonly kind: ErrorKind;
      readonly message: string;
    };
