/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '../../core/index.ts';
import {
  accuracy,
  augmentBatch,
  combineViews,
  buildModel,
  canShareMemory,
  checkedSpecs,
  Eta,
  fashionLoaders,
  fetchFashionMnist,
  lrFindFor,
  metricsOf,
  NonFiniteLossError,
  pooledRate,
  predictWithViews,
  summarise,
  trainingRate,
  trainRun,
} from '../../training/trainer.ts';
import type {
  Callback,
  CheckpointState,
  FashionMnist,
  Predictions,
  TrainConfig,
} from '../../training/index.ts';
import {
  DataFileError,
  DEFAULT_CONFIG,
  evaluate,
  formatLoss,
  normalise,
  PIXELS,
  SIDE,
} from '../../training/index.ts';
import type { WorkerPool } from '../../training/trainer.ts';
import { microBatchFor } from './backend-traits.ts';
import { onGpu } from '../../core/backends.ts';
import { startGradientWorkers } from './grad-workers.ts';
import { workersNote } from './workers-note.ts';
import { startBackend } from './backends.ts';
import { idbStore, readModel, readReport } from './idb-store.ts';
import type { ErrorKind, EvaluationReport, FromWorker, ToWorker } from './protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

const post = (m: FromWorker, transfer: Transferable[] = []): void => {
  self.postMessage(m, transfer);
};

let ready: Promise<string> | null = null;
let data: Promise<FashionMnist> | null = null;
let dataUrl = '';
const stop = { requested: false };

const loadData = (): Promise<FashionMnist> =>
  (data ??= (async () => {
    post({ type: 'status', text: 'loading Fashion-MNIST (30 MB, once per session)…' });
    try {
      return await fetchFashionMnist(dataUrl);
    } catch (err) {
      data = null;
      throw err;
    }
  })());

const classify = (err: unknown): { kind: ErrorKind; message: string } => {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof NonFiniteLossError) return { kind: 'nan', message };
  if (err instanceof DataFileError) return { kind: 'data', message };
  if (/memory|allocat|texture size|context lost|OOM|out of range/i.test(message))
    return {
      kind: 'memory',
      message: `the run did not fit in this device's memory (${message}). Try a smaller batch size or model.`,
    };
  return { kind: 'other', message };
};

const report = (p: Predictions, d: FashionMnist): EvaluationReport => {
  const evaluation = evaluate(p);
  const images = evaluation.mistakes.map((m) =>
    d.valid.images.slice(m.index * PIXELS, (m.index + 1) * PIXELS),
  );
  return { evaluation, images };
};

/** Forwards a member's progress, batch losses, hyperparameters and epoch rows to the page. */
const liveCallback = (
  member: number,
  ensemble: number,
  saved: CheckpointState | null,
): Callback => {
  const eta = new Eta();
  let sent = 0;
  let lastPost = 0;
  return {
    name: 'live',
    order: 2,
    beforeFit(l) {
      eta.begin(l);
      sent = saved?.logs.length ?? 0;
      if (saved)
        post({
          type: 'resumed',
          member,
          epoch: saved.epoch,
          logs: saved.logs,
          batchLosses: saved.batchLosses,
          records: saved.records,
        });
    },
    afterBatch(l) {
      const { fraction, elapsed, eta: left } = eta.tick();
      const metrics = metricsOf(l);
      const hyper = l.opt?.hypers ?? {};
      if (l.training)
        post({
          type: 'batch',
          member,
          step: (metrics?.batchLosses.length ?? 1) - 1,
          loss: l.lossValue,
          lr: hyper.lr ?? NaN,
          beta1: hyper.beta1 ?? null,
        });
      const now = performance.now();
      if (now - lastPost < 100) return;
      lastPost = now;
      post({
        type: 'progress',
        fraction: (member + fraction) / ensemble,
        text:
          `${ensemble > 1 ? `model ${member + 1}/${ensemble} · ` : ''}epoch ${l.epoch + 1}/${l.nEpochs} ` +
          `${l.training ? 'train' : 'eval'} · loss ${formatLoss(l.lossValue)} · ` +
          `${Math.round(elapsed)} s elapsed, about ${Math.round(left)} s left`,
      });
    },
    afterEpoch(l) {
      const logs = metricsOf(l)?.logs ?? [];
      for (; sent < logs.length; sent++) {
        const log = logs[sent];
        if (log) post({ type: 'epoch', member, log });
      }
    },
  };
};

/** Whether this worker can start workers of its own (the gradient workers are nested). */
const nestedWorkers = typeof Worker === 'function';

/**
 * The page's config on the backend in use: 'auto' and fallbacks are known only here. Gradient
 * workers run on the CPU backends: a GPU backend trains the whole batch on this thread.
 */
const onBackend = (config: TrainConfig, backend: string, workers = config.workers): TrainConfig => {
  const n = onGpu(backend) || !nestedWorkers ? 1 : workers;
  return { ...config, backend, workers: n, microBatch: microBatchFor(backend, config.bs, n) };
};

const startPool = async (c: TrainConfig): Promise<WorkerPool> => {
  post({
    type: 'status',
    text: `starting ${String(c.workers)} gradient workers (each loads the model)…`,
  });
  return startGradientWorkers(c.model, c.workers, {
    backend: c.backend === 'cpu' ? 'cpu' : 'wasm',
  });
};

const handlers: { [K in ToWorker['type']]: (m: Extract<ToWorker, { type: K }>) => Promise<void> } =
  {
    async init(m) {
      dataUrl = m.dataUrl;
      ready = startBackend(m.backend).then((started) => {
        post({ type: 'ready', ...started });
        return started.backend;
      });
      await ready;
    },

    stop() {
      stop.requested = true;
      return Promise.resolve();
    },

    async train(m) {
      const backend = (await ready) ?? 'none';
      const d = await loadData();
      stop.requested = false;
      const store = idbStore(m.runId);
      const final: { value: Predictions | null } = { value: null };
      const config = onBackend(m.config, backend);
      post({
        type: 'workers',
        workers: config.workers,
        text: workersNote(config, {
          asked: m.config.workers,
          onGpu: onGpu(backend),
          nestedWorkers,
          sharedMemory: canShareMemory(),
        }),
      });
      const result = await trainRun(config, d, {
        store,
        write: () => undefined,
        startPool,
        resume: m.resume,
        stop,
        callbacks: (k, saved) => [liveCallback(k, config.ensemble, saved)],
        onPredictions: (p) => {
          final.value = p;
        },
      });
      post({
        type: 'done',
        runId: m.runId,
        result,
        report: final.value ? report(final.value, d) : null,
        metricsCsv: (await readReport(m.runId, 'metrics.csv')) ?? '',
        recorderCsv: (await readReport(m.runId, 'recorder.csv')) ?? '',
      });
    },

    async lrFind(m) {
      const config = onBackend(m.config, (await ready) ?? 'none', 1);
      const d = await loadData();
      post({ type: 'status', text: 'finding a learning rate…' });
      post({ type: 'lrFind', result: await lrFindFor(config, d, { maxEpochs: 3 }) });
    },

    async summary(m) {
      await ready;
      const built = buildModel(m.model);
      try {
        post({ type: 'summary', summary: summarise(built) });
      } finally {
        built.model.dispose();
      }
    },

    async preview(m) {
      await ready;
      const d = await loadData();
      const n = 16;
      const idx = Array.from({ length: n }, (_, i) => i);
      const x = tf.tensor4d(normalise(d.train, idx), [n, SIDE, SIDE, 1]);
      const y = tf.zeros<tf.Rank.R1>([n], 'int32');
      const out = augmentBatch(m.aug, mulberry32(m.seed), m.augPer)({ x, y });
      const pixels = new Float32Array(await out.x.data());
      tf.dispose([x, y, out.x]);
      post({ type: 'preview', pixels, n }, [pixels.buffer]);
    },

    async exportModel(m) {
      const artifacts = await readModel(m.runId, m.member);
      if (!artifacts)
        throw new DataFileError(`run ${m.runId} has no trained model (was it stopped early?)`);
      post({
        type: 'model',
        name: `${m.runId}-model${m.member ? `-${String(m.member)}` : ''}`,
        artifacts,
      });
    },

    async evaluateModel(m) {
      await ready;
      const d = await loadData();
      let model: tf.LayersModel;
      try {
        const json = JSON.parse(m.json) as {
          modelTopology?: object;
          weightsManifest?: { weights: tf.io.WeightsManifestEntry[] }[];
        };
        if (!json.modelTopology) throw new Error('no modelTopology');
        model = await tf.loadLayersModel(
          tf.io.fromMemory({
            modelTopology: json.modelTopology,
            weightSpecs: checkedSpecs(json, m.weights, m.name),
            weightData: m.weights,
          }),
        );
      } catch (err) {
        if (err instanceof DataFileError) throw err;
        throw new DataFileError(
          `${m.name}: not a tfjs layers model with its weights (${(err as Error).message})`,
        );
      }
      try {
        const valid = fashionLoaders(d, { bs: 256, seed: 0 }).valid;
        post({
          type: 'status',
          text: `evaluating ${m.name} on the ${valid.size.toLocaleString('en')} validation images…`,
        });
        const { plain, tta } = combineViews([await predictWithViews(model, valid, m.views)]);
        post({
          type: 'evaluated',
          name: m.name,
          report: report(tta ?? plain, d),
          images: valid.size,
          plainAccuracy: accuracy(plain),
          ttaAccuracy: tta ? accuracy(tta) : null,
          views: m.views,
        });
      } finally {
        model.dispose();
      }
    },

    async benchmark(m) {
      const backend = (await ready) ?? 'none';
      const imagesPerSecond =
        m.workers > 1
          ? await pooledRate(
              m.model,
              m.bs,
              m.steps,
              await startPool({ ...DEFAULT_CONFIG, model: m.model, backend, workers: m.workers }),
            )
          : await trainingRate(m.model, m.bs, m.steps);
      post({ type: 'benchmark', imagesPerSecond, backend });
    },

    memory() {
      post({ type: 'memory', numTensors: tf.memory().numTensors });
      return Promise.resolve();
    },
  };

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  const handler = handlers[m.type] as (m: ToWorker) => Promise<void>;
  handler(m).catch((err: unknown) => {
    post({ type: 'error', request: m.type, ...classify(err) });
  });
};
