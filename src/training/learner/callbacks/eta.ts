import type { Learner } from '../learner.ts';

export interface EtaReading {
  /** Share of the whole fit done, epochs before a resume included. */
  readonly fraction: number;
  /** Seconds since this fit began, and the seconds it will still take at this pace. */
  readonly elapsed: number;
  readonly eta: number;
}

/**
 * Progress through a fit, batch by batch (training and validation), for progress bars. A fit
 * resumed at epoch k counts the k epochs before it as done, but not in its pace.
 */
export class Eta {
  #start = 0;
  #done = 0;
  #before = 0;
  #total = 1;

  /** Call in `beforeFit`. */
  begin(l: Learner): void {
    const perEpoch = l.dls.train.length + l.dls.valid.length;
    const epochsDone = l.dls.train.length ? l.trainStep / l.dls.train.length : 0;
    this.#start = performance.now();
    this.#done = 0;
    this.#before = epochsDone * perEpoch;
    this.#total = Math.max(1, l.nEpochs * perEpoch);
  }

  /** Call after every batch. */
  tick(): EtaReading {
    this.#done++;
    const elapsed = (performance.now() - this.#start) / 1000;
    return {
      fraction: Math.min(1, (this.#before + this.#done) / this.#total),
      elapsed,
      eta: (elapsed / this.#done) * Math.max(0, this.#total - this.#before - this.#done),
    };
  }
}
