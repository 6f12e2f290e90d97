import type { PoolOptions, Transport } from '../../training/trainer.ts';
import { WorkerPool } from '../../training/trainer.ts';

/** A Web Worker running `grad-worker.ts`, started from the training worker (nested workers). */
const webTransport = (rank: number): Transport => {
  const w = new Worker(new URL('./grad-worker.ts', import.meta.url), {
    type: 'module',
    name: `gradients ${String(rank + 1)}`,
  });
  const failed = (e: ErrorEvent | MessageEvent): Error =>
    new Error(
      e instanceof ErrorEvent
        ? `gradient worker ${String(rank + 1)} failed: ${e.message || 'its script did not load'}`
        : `gradient worker ${String(rank + 1)} sent a message that could not be read`,
    );
  return {
    post: (m, transfer = []) => {
      w.postMessage(m, transfer);
    },
    next: () =>
      new Promise((ok, fail) => {
        const done = (): void => {
          w.removeEventListener('message', onMessage);
          w.removeEventListener('error', onError);
          w.removeEventListener('messageerror', onError);
        };
        const onMessage = (e: MessageEvent): void => {
          done();
          ok(e.data);
        };
        const onError = (e: ErrorEvent | MessageEvent): void => {
          done();
          fail(failed(e));
        };
        w.addEventListener('message', onMessage);
        w.addEventListener('error', onError);
        w.addEventListener('messageerror', onError);
      }),
    onFailure: (listener) => {
      w.addEventListener('error', (e) => {
        e.preventDefault(); // the step says what failed; the page need not hear it twice
        listener(failed(e).message);
      });
    },
    terminate: () => {
      w.terminate();
      return Promise.resolve();
    },
  };
};

/** The Train tab's gradient workers: `size` Web Workers, each a replica on wasm. */
export const startGradientWorkers = (
  model: string,
  size: number,
  options: PoolOptions = {},
): Promise<WorkerPool> => WorkerPool.start(webTransport, model, size, options);
