import type { Page } from 'playwright-core';

/** The Train tab has set its hooks and picked its backend (after a load or a reload). */
export const trainReady = (page: Page): Promise<unknown> =>
  page.waitForFunction(
    () => 'gradsheetTrain' in window && window.gradsheetTrain.backend() !== '',
    null,
    { timeout: 60_000 },
  );

/** The current run has ended (done, stopped or failed). */
export const runEnded = (page: Page, timeout = 240_000): Promise<unknown> =>
  page.waitForFunction(() => window.gradsheetTrain.current()?.status !== 'running', null, {
    timeout,
  });
