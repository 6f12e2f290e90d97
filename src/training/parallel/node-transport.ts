import { Worker } from 'node:worker_threads';
import type { Transport } from './transport.ts';

/**
 * A Node worker thread running `grad-worker.ts` (through `boot.mjs`, which loads TypeScript), or
 * `script` (tests).
 */
export const nodeTransport = (
  _rank: number,
  script: URL = new URL('./boot.mjs', import.meta.url),
): Transport => {
  const w = new Worker(script);
  let terminating = false;
  return {
    post: (m, transfer = []) => {
      w.postMessage(m, transfer as ArrayBuffer[]);
    },
    next: () =>
      new Promise((ok, fail) => {
        const off = (): void => {
          w.off('message', onMessage);
          w.off('error', onError);
          w.off('exit', onExit);
        };
        const onMessage = (m: unknown): void => {
          off();
          ok(m);
        };
        const onError = (err: Error): void => {
          off();
          fail(err);
        };
        const onExit = (code: number): void => {
          off();
          fail(new Error(`the gradient worker exited (code ${String(code)})`));
        };
        w.once('message', onMessage);
        w.once('error', onError);
        w.once('exit', onExit);
      }),
    onFailure: (listener) => {
      w.on('error', (err) => {
        listener(err.message);
      });
      w.on('exit', (code) => {
        if (!terminating) listener(`it exited (code ${String(code)})`);
      });
    },
    terminate: async () => {
      terminating = true;
      await w.terminate();
    },
  };
};
