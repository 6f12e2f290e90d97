/// <reference lib="webworker" />
import type { InitMessage, StepMessage } from '../../training/trainer.ts';
import { replica } from '../../training/trainer.ts';
import { startBackend } from './backends.ts';

/**
 * A gradient worker of the Train tab: a model replica on wasm, started by the training worker
 * (`grad-workers.ts`), answering the same steps as Node's worker threads (`replica.ts`).
 */
declare const self: DedicatedWorkerGlobalScope;

const handle = replica(
  async (backend) => {
    const started = await startBackend(backend);
    if (started.backend !== backend)
      throw new Error(`the ${backend} backend did not start here (${started.notices.join('; ')})`);
  },
  (m, transfer) => {
    self.postMessage(m, transfer);
  },
);

self.onmessage = (e: MessageEvent<InitMessage | StepMessage>) => {
  void handle(e.data);
};
