/**
 * A gradient worker as the pool sees it: Node's `worker_threads.Worker` and the browser's
 * `Worker` both fit behind it (`node-transport.ts`, the Train tab's `grad-workers.ts`).
 */
export interface Transport {
  post(message: unknown, transfer?: Transferable[]): void;
  /** The worker's next message, or its failure (an uncaught error, a script that did not load). */
  next(): Promise<unknown>;
  /**
   * Called when the worker fails or ends on its own, in a step or between steps, with the reason
   * in words (so no one waits for it, and no later step is sent to it).
   */
  onFailure(listener: (reason: string) => void): void;
  terminate(): Promise<void>;
}

/** Starts one gradient worker (rank 0, 1, …). */
export type Spawn = (rank: number) => Transport;
