import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Workbook, workbookData, workbookModel } from '../../src/sheet/index.ts';
import { launch, openPage } from './browser.ts';

const exec = promisify(execFile);
let browser: Browser;
let page: Page;
let errors: string[];
const base = inject('baseUrl');

const cellText = async (row: number, col: number) => {
  await page.evaluate(([r, c]) => window.gradsheet.grid.hot.scrollViewportTo({ row: r, col: c }), [
    row,
    col,
  ] as const);
  await page.waitForTimeout(100);
  return page.evaluate(([r, c]) => window.gradsheet.grid.hot.getCell(r, c)?.textContent ?? null, [
    row,
    col,
  ] as const);
};
const cellValue = (row: number, col: number) =>
  page.evaluate(([r, c]) => window.gradsheet.grid.hot.getDataAtCell(r, c), [row, col] as const);
const typeInto = async (row: number, col: number, text: string) => {
  await page.evaluate(([r, c]) => window.gradsheet.grid.hot.selectCell(r, c), [row, col] as const);
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(50);
};
const message = () => page.locator('#message').innerText();
/** Run and Reset are jobs that yield to the page between steps: wait for the one started to end. */
const jobDone = () =>
  page.waitForFunction(() => document.querySelector('#progress')?.hasAttribute('hidden'));
const rmseSeries = () =>
  page.evaluate(() =>
    window.gradsheet.charts.rmse.data.datasets.map((d) => ({
      label: d.label ?? '',
      ys: d.data.map((p) => p.y),
    })),
  );

beforeAll(async () => {
  browser = await launch();
  ({ page, errors } = await openPage(browser, `${base}#sheet=basic`));
});
afterAll(async () => {
  await browser.close();
});

describe('the Sheet tab in Chromium', () => {
  it('loads without console errors and shows the workbook’s basic sheet', async () => {
    expect(errors).toEqual([]);
    expect(await cellValue(3, 4)).toBe(15); // E4 = 1 + 1·14
    expect(await cellText(32, 5)).toBe('150.755'); // F33, rmse
    const series = await rmseSeries();
    expect(series.map((s) => s.label)).toEqual([
      'basic SGD',
      'momentum',
      'RMSProp',
      'Adam',
      'Adam, auto-annealed',
    ]);
    await page.evaluate(() => window.gradsheet.grid.hot.selectCell(3, 10));
    expect(await page.locator('#fx-content').innerText()).toBe('=2*(E4-B4)');
  });

  it('editing the lr cell changes the rows and the chart', async () => {
    const before = await cellValue(31, 2);
    const chartBefore = (await rmseSeries())[0]?.ys;
    await typeInto(0, 5, '0.0002');
    expect(await cellValue(0, 5)).toBe(0.0002);
    expect(await cellValue(31, 2)).not.toBe(before);
    expect((await rmseSeries())[0]?.ys).not.toEqual(chartBefore);
    const wb = new Workbook({
      data: workbookData,
      model: workbookModel,
      hypers: { basic: { lr: 0.0002 } },
    });
    expect(await cellValue(31, 2)).toBe(wb.value('basic', { row: 31, col: 2 }));
  });

  it('a bad value shows its message and changes nothing', async () => {
    const before = await page.evaluate(() => window.gradsheet.grid.data());
    await typeInto(0, 5, 'abc');
    expect(await message()).toContain("F1: 'abc' refused: the learning rate must be a number");
    expect(
      await page.evaluate(() =>
        window.gradsheet.grid.hot.getCell(0, 5)?.classList.contains('gs-refused'),
      ),
    ).toBe(true);
    await typeInto(4, 4, '3'); // a formula cell: not an input, and the message says why
    expect(await message()).toContain('E5 is a formula (=D5*A5+C5)');
    await typeInto(0, 5, '-1');
    expect(await message()).toContain('greater than 0');
    expect(await page.evaluate(() => window.gradsheet.grid.data())).toEqual(before);
    expect(await page.locator('#message.error').count()).toBe(1);
  });

  it('Run and Reset behave as the workbook macros', async () => {
    await page.locator('.sheet-tabs button', { hasText: /^adam_ann$/ }).click();
    await page.locator('#run').click();
    await jobDone();
    const wb = new Workbook({ data: workbookData, model: workbookModel });
    wb.run('adam_ann', 5);
    const history = await page.evaluate(() => window.gradsheet.workbook().history('adam_ann'));
    expect(history).toEqual(wb.history('adam_ann'));
    expect(await cellValue(0, 2)).toBe(wb.value('adam_ann', { row: 0, col: 2 }));
    await page.locator('#reset').click();
    await jobDone();
    expect(await cellValue(0, 2)).toBe(1);
    expect(await cellValue(1, 2)).toBe(1);
    expect(await page.evaluate(() => window.gradsheet.workbook().history('adam_ann').length)).toBe(
      1,
    );
  });

  it('the CSV download is the clean table the CLI’s --csv writes, byte for byte', async () => {
    const [dl] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#export-csv').click(),
    ]);
    expect(dl.suggestedFilename()).toBe('adam_ann.csv');
    const text = readFileSync(await dl.path(), 'utf8');
    // The page shows adam_ann right after Reset: the CLI's sheet after 0 run epochs.
    const file = join(mkdtempSync(join(tmpdir(), 'gradsheet-csv-')), 'adam_ann.csv');
    await exec('node', ['bin/gradsheet.js', 'sheet', 'adam_ann', '--epochs', '0', '--csv', file]);
    expect(text).toBe(readFileSync(file, 'utf8'));
    const lines = text.trim().split('\r\n');
    expect(lines).toHaveLength(30); // the header, then the 29 rows: no totals, history or padding
    expect(lines[0]?.startsWith('x,y,intercept b,slope a,y_pred')).toBe(true);
  });

  it('a new model rebuilds the formulas', async () => {
    await page
      .locator('details:has(#model-form)')
      .evaluate((d) => ((d as HTMLDetailsElement).open = true));
    await page.fill('#model', 'a*x^2 + b');
    await page.locator('#model-form button[type=submit]').click();
    // The rebuild is a stepped job: on a loaded machine it is not done by the next round trip.
    await page.waitForFunction(() => document.getElementById('progress')?.hidden === true);
    await page.evaluate(() => window.gradsheet.grid.hot.selectCell(3, 4));
    expect(await page.locator('#fx-content').innerText()).toBe('=D4*A4^2+C4');
    await page.fill('#model', 'a*q');
    await page.locator('#model-form button[type=submit]').click();
    expect(await message()).toContain("model uses 'q'");
    expect(await page.inputValue('#model')).toBe('a*q'); // what was typed stays
  });

  it('the URL keeps the state across a reload', async () => {
    await page.reload();
    await page.waitForFunction(() => 'gradsheet' in window);
    expect(await page.evaluate(() => window.gradsheet.sheet())).toBe('adam_ann');
    expect(await page.evaluate(() => window.gradsheet.workbook().model.model)).toBe('a*x^2 + b');
    expect(
      await page.evaluate(() => window.gradsheet.workbook().value('basic', { row: 0, col: 5 })),
    ).toBe(0.0002);
    expect(errors).toEqual([]);
  });
});
