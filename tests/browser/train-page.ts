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

/**
 * A small, quick run in the form: the lesson's first CNN on 512 images in batches of 64 (8 steps
 * an epoch), plus `fields` (selector → value) for the rest.
 */
export const fillSmallRun = async (
  page: Page,
  epochs: number,
  fields: Readonly<Record<string, string>> = {},
): Promise<void> => {
  await page.selectOption('#t-model', 'cnn');
  const all = { '#t-subset': '512', '#t-bs': '64', '#t-epochs': String(epochs), ...fields };
  for (const [sel, v] of Object.entries(all)) await page.fill(sel, v);
};
