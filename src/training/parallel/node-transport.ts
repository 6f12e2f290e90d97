import { Worker } from 'node:worker_threads';
import type { Transport } from './transport.ts';

/** A Node worker thread running `grad-worker.ts` (through `boot.mjs`, which loads TypeScript). */
export const nodeTransport = (): Transport => {
  const w = new Worker(new URL('./boot.mjs', import.meta.url));
  return {
    post: (m, transfer = []) => {
      w.postMessage(m, transfer as ArrayBuffer[]);
    },
    next: () =>
      new Promise((ok, fail) => {
        const onMessage = (m: unknown): void => {
          w.off('error', onError);
          ok(m);
        };
        const onError = (err: Error): void => {
          w.off('message', onMessage);
          fail(err);
        };
        w.once('message', onMessage);
        w.once('error', onError);
      }),
    onFailure: (listener) => {
      w.on('error', listener);
    },
    terminate: async () => {
      await w.terminate();
    },
  };
};
