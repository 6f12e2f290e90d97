import type { ChannelSync } from '../models/channel-sync.ts';

/**
 * The gradient workers' all-reduce for BatchNorm's channel sums: one SharedArrayBuffer per
 * pool, a slot of float64s per worker and an `Atomics` barrier. An exchange writes the
 * worker's slot, waits until every worker of the step has written, then adds the slots in
 * rank order (so every worker gets the same bits). Exchanges alternate between two regions:
 * a worker can only write a region again after the next barrier, which every worker reaches
 * only once it has read the region.
 */
const GENERATION = 0;
const ARRIVED = 1;
const ABORTED = 2;
const CONTROL_BYTES = 16;
/** Float64s a worker can share per exchange: BatchNorm's backward sends 2 × channels + 1. */
export const SLOT = 4096;

export const sharedSumsBuffer = (workers: number): SharedArrayBuffer =>
  new SharedArrayBuffer(CONTROL_BYTES + 2 * workers * SLOT * 8);

const control = (buffer: SharedArrayBuffer): Int32Array =>
  new Int32Array(buffer, 0, CONTROL_BYTES / 4);

/** Main thread, between steps (no worker is inside an exchange): ready the barrier. */
export const resetSharedSums = (buffer: SharedArrayBuffer): void => {
  const c = control(buffer);
  Atomics.store(c, ARRIVED, 0);
  Atomics.store(c, ABORTED, 0);
};

/** A worker failed: the others stop waiting for it and fail their step too. */
export const abortSharedSums = (buffer: SharedArrayBuffer): void => {
  const c = control(buffer);
  Atomics.store(c, ABORTED, 1);
  Atomics.notify(c, GENERATION);
};

/** One worker's side (`Atomics.wait` blocks: worker threads only). */
export class SharedSums implements ChannelSync {
  readonly #control: Int32Array;
  readonly #slots: Float64Array;
  readonly #rank: number;
  readonly #workers: number;
  #parties = 1;
  #round = 0;

  constructor(buffer: SharedArrayBuffer, rank: number, workers: number) {
    this.#control = control(buffer);
    this.#slots = new Float64Array(buffer, CONTROL_BYTES, 2 * workers * SLOT);
    this.#rank = rank;
    this.#workers = workers;
  }

  /** A new step among workers 0 … parties − 1 (each makes the same exchanges). */
  begin(parties: number): void {
    this.#parties = parties;
    this.#round = 0;
  }

  allReduce(local: Float64Array): Float64Array {
    if (local.length > SLOT)
      throw new Error(`shared sums: ${local.length} values, more than a slot's ${SLOT}`);
    const region = (this.#round++ % 2) * this.#workers;
    this.#slots.set(local, (region + this.#rank) * SLOT);
    this.#barrier();
    const total = new Float64Array(local.length);
    for (let k = 0; k < this.#parties; k++) {
      const at = (region + k) * SLOT;
      for (let j = 0; j < total.length; j++)
        total[j] = (total[j] ?? 0) + (this.#slots[at + j] ?? 0);
    }
    return total;
  }

  #barrier(): void {
    const c = this.#control;
    const generation = Atomics.load(c, GENERATION);
    if (Atomics.add(c, ARRIVED, 1) === this.#parties - 1) {
      Atomics.store(c, ARRIVED, 0);
      Atomics.add(c, GENERATION, 1);
      Atomics.notify(c, GENERATION);
      return;
    }
    while (Atomics.load(c, GENERATION) === generation) {
      if (Atomics.load(c, ABORTED)) throw new Error('another gradient worker failed');
      Atomics.wait(c, GENERATION, generation, 100);
    }
  }
}
