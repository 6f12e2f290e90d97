import { showBackendStarting } from './backend-view.ts';
import type { BackendSetting, FromWorker, ToWorker } from './protocol.ts';

/** The training worker as the page sees it: one at a time, restarted for another backend. */
export interface WorkerClient {
  post(m: ToWorker, transfer?: Transferable[]): void;
  /** Starts a fresh worker on this backend (the old one, if any, is ended). */
  start(backend: BackendSetting): void;
  /** Starts one unless a worker already runs this backend setting. */
  ensure(backend: BackendSetting): void;
  /** The backend setting the worker was started on, or null before the first. */
  setting(): BackendSetting | null;
  /** The backend the worker reported ready ('auto' resolved); '' until it has. */
  backendName(): string;
  /** Listens to the worker's messages beside the page's handler; returns the way to stop. */
  listen(f: (m: FromWorker) => void): (() => void) | null;
}

export const createWorkerClient = (
  onMessage: (m: FromWorker) => void,
  onFail: (message: string) => void,
  firstMessages: () => ToWorker[],
): WorkerClient => {
  let worker: Worker | null = null;
  let setting: BackendSetting | null = null;
  let name = '';
  const post = (m: ToWorker, transfer: Transferable[] = []): void => {
    worker?.postMessage(m, transfer);
  };
  const start = (backend: BackendSetting): void => {
    worker?.terminate();
    worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    setting = backend;
    name = '';
    showBackendStarting(backend);
    worker.onmessage = (e: MessageEvent<FromWorker>) => {
      if (e.data.type === 'ready') name = e.data.backend;
      onMessage(e.data);
    };
    worker.onerror = (e) => {
      onFail(`the training worker failed: ${e.message}`);
    };
    post({ type: 'init', backend, dataUrl: new URL('data/', document.baseURI).href });
    for (const m of firstMessages()) post(m);
  };
  return {
    post,
    start,
    ensure: (backend) => {
      if (!worker || setting !== backend) start(backend);
    },
    setting: () => setting,
    backendName: () => name,
    listen: (f) => {
      const w = worker;
      if (!w) return null;
      const l = (e: MessageEvent<FromWorker>): void => {
        f(e.data);
      };
      w.addEventListener('message', l);
      return () => {
        w.removeEventListener('message', l);
      };
    },
  };
};
