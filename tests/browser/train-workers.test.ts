import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch } from './browser.ts';
import { fillSmallRun, runEnded, trainReady } from './train-page.ts';

/**
 * The Train tab's gradient workers in Chromium: a batch split over two Web Workers, each a
 * replica on wasm, trains as the training worker alone does (BatchNorm over the whole batch,
 * through shared memory on the cross-origin-isolated page), and without the isolation headers
 * it still trains, each worker normalising its share, and says so.
 */
let browser: Browser;
const url = `${inject('baseUrl')}train.html`;

interface Trained {
  readonly losses: readonly number[];
  readonly workers: number | undefined;
  readonly status: string | undefined;
  readonly note: string;
}

const open = async (context: BrowserContext): Promise<{ page: Page; errors: string[] }> => {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await trainReady(page);
  return { page, errors };
};

/** One small run (the lesson's CNN, 512 images, batch 64, one epoch) on `workers` workers. */
const train = async (page: Page, workers: string, epochs = 1): Promise<Trained> => {
  await page.selectOption('#t-opt', 'adamw');
  await fillSmallRun(page, epochs, { '#t-lr': '0.01', '#t-seed': '42', '#t-workers': workers });
  await page.click('#t-train');
  await runEnded(page);
  return page.evaluate(() => {
    const run = window.gradsheetTrain.current();
    return {
      losses: run?.members[0]?.batchLosses ?? [],
      workers: run?.result?.config.workers,
      status: run?.status,
      note: document.querySelector('#t-workers-note')?.textContent ?? '',
    };
  });
};

/** The largest relative difference between two runs' batch losses. */
const worstRelative = (a: readonly number[], b: readonly number[]): number =>
  Math.max(...a.map((v, i) => Math.abs(v - (b[i] ?? NaN)) / Math.abs(v)));

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser.close();
});

describe('gradient workers in the Train tab (Chromium, wasm)', () => {
  it('two workers give the losses of one, on a cross-origin-isolated page, without leaking tensors', async () => {
    const context = await browser.newContext();
    const { page, errors } = await open(context);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.evaluate(() => window.gradsheetTrain.backend())).toBe('wasm');
    const cores = await page.evaluate(() => window.gradsheetTrain.cores());
    expect(cores).toBe(Math.min(await page.evaluate(() => navigator.hardwareConcurrency), 8));
    expect(await page.getAttribute('#t-workers', 'placeholder')).toBe(
      `${String(cores)}: every core`,
    );

    // More workers than cores is refused in the form, with the CLI's words.
    await page.fill('#t-workers', '64');
    await expect
      .poll(() => page.locator('#t-errors').innerText())
      .toBe(
        `workers must be at most ${String(cores)}, the cores this browser reports (more would only wait for a core), got 64`,
      );
    expect(await page.isDisabled('#t-train')).toBe(true);

    const one = await train(page, '1');
    expect(one).toMatchObject({ status: 'done', workers: 1 });
    expect(one.note).toBe('1 worker: the training worker computes the gradients itself');
    expect(one.losses).toHaveLength(8);
    const tensors = await page.evaluate(() => window.gradsheetTrain.tensors());

    const two = await train(page, '2');
    expect(two).toMatchObject({ status: 'done', workers: 2 });
    expect(two.note).toBe('2 gradient workers on wasm, BatchNorm over the whole batch');
    expect(two.losses).toHaveLength(8);
    const worst = worstRelative(one.losses, two.losses);
    console.log(
      `two workers against one: worst relative batch-loss difference ${worst.toExponential(2)}`,
    );
    expect(worst).toBeLessThan(1e-4);
    // The losses moved: the runs trained, not only evaluated one model.
    expect(two.losses.at(-1)).toBeLessThan(two.losses[0] ?? 0);
    expect(await page.evaluate(() => window.gradsheetTrain.tensors())).toBe(tensors);

    // More epochs leave no more tensors behind.
    const longer = await train(page, '2', 2);
    expect(longer).toMatchObject({ status: 'done', workers: 2 });
    expect(longer.losses).toHaveLength(16);
    expect(await page.evaluate(() => window.gradsheetTrain.tensors())).toBe(tensors);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('without the isolation headers two workers still train, each normalising its share, and say so', async () => {
    const context = await browser.newContext();
    // A host serving dist/ without COOP/COEP: the same files, the two headers left out.
    await context.route('**/*', async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers['cross-origin-opener-policy'];
      delete headers['cross-origin-embedder-policy'];
      await route.fulfill({ response, headers });
    });
    const { page, errors } = await open(context);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    const two = await train(page, '2');
    expect(two).toMatchObject({ status: 'done', workers: 2 });
    expect(two.note).toBe(
      "2 gradient workers on wasm; this page is not cross-origin isolated (its server sends no COOP/COEP headers), so BatchNorm normalises each worker's share of the batch, not the whole batch",
    );
    expect(two.losses).toHaveLength(8);
    expect(two.losses.every(Number.isFinite)).toBe(true);
    // Halves of the batch normalised alone are other math: the comparison above can tell.
    const one = await train(page, '1');
    expect(worstRelative(one.losses, two.losses)).toBeGreaterThan(1e-3);
    expect(errors).toEqual([]);
    await context.close();
  });
});
