/**
 * A gradient worker as the pool sees it: Node's `worker_threads.Worker` and the browser's
 * `Worker` both fit behind it (`node-transport.ts`, the Train tab's `grad-workers.ts`).
 */
export interface Transport {
  post(message: unknown, transfer?: Transferable[]): void;
  /** The worker's next message, or its failure (an uncaught error, a script that did not load). */
  next(): Promise<unknown>;
  /** Called once when the worker fails outside a step (so no one waits for it). */
  onFailure(listener: () => void): void;
  terminate(): Promise<void>;
}

/** Starts one gradient worker (rank 0, 1, …). */
export type Spawn = (rank: number) => Transport;
