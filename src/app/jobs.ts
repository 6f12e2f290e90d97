import type { Progress, Steps } from '../sheet/index.ts';

/** Longest stretch of steps run between two chances for the browser to draw. */
const SLICE_MS = 40;

/** Resolves after the next frame is drawn. */
const nextFrame = (): Promise<void> =>
  new Promise((resolve) => {
    requestAnimationFrame(() => {
      setTimeout(resolve, 0);
    });
  });

/**
 * Runs a long job step by step, handing the page back to the browser every `SLICE_MS` so it
 * stays responsive, and reporting each step's progress before it runs.
 */
export const runSteps = async <T>(
  steps: Steps<T>,
  onProgress: (p: Progress) => void,
): Promise<T> => {
  let since = -Infinity; // the first step waits for a frame, so the progress shows at once
  for (;;) {
    const r = steps.next();
    if (r.done) {
      if (performance.now() - since > SLICE_MS) await nextFrame(); // what follows draws anew
      return r.value;
    }
    onProgress(r.value);
    if (performance.now() - since > SLICE_MS) {
      await nextFrame();
      since = performance.now();
    }
  }
};
