import { parentPort } from 'node:worker_threads';
import { initNodeBackend } from '../node/node-backend.ts';
import type { InitMessage, StepMessage } from './protocol.ts';
import { replica } from './replica.ts';

/** A Node worker thread holding a model replica (`replica.ts`), one per core of the pool. */
const handle = replica(initNodeBackend, (m, transfer) => {
  parentPort?.postMessage(m, transfer);
});

parentPort?.on('message', (m: InitMessage | StepMessage) => {
  void handle(m);
});
