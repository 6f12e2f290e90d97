/** Where a long job stands: the step about to run, and how many of how many are done. */
export interface Progress {
  readonly what: string;
  readonly done: number;
  readonly total: number;
}

/**
 * A long job cut into steps. It yields before each step, so a page can show the progress and
 * let the browser draw before the step runs; Node simply runs it through with `drain`.
 */
export type Steps<T = void> = Generator<Progress, T, undefined>;

/** Runs every step at once and returns the job's result. */
export const drain = <T>(steps: Steps<T>): T => {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
};
