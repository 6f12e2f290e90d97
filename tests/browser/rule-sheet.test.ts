import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RULE_TEXTS } from '../../src/optimizers/index.ts';
import {
  passTable,
  userSheetDef,
  Workbook,
  workbookData,
  workbookModel,
} from '../../src/sheet/index.ts';
import { toCsv } from '../../src/core/index.ts';
import { launch, openPage } from './browser.ts';
import { fillSmallRun, runEnded, trainReady } from './train-page.ts';

let browser: Browser;
let page: Page;
let errors: string[];
const base = inject('baseUrl');

/** Lion's first data row on the sheet: B4..; `new b` is column H (0-based 7). */
const NEW_B = { row: 3, col: 7 };
const cellValue = (row: number, col: number) =>
  page.evaluate(([r, c]) => window.gradsheet.grid.hot.getDataAtCell(r, c), [row, col] as const);
const formulaOf = (row: number, col: number) =>
  page.evaluate(
    ([r, c]) => window.gradsheet.workbook().formula(window.gradsheet.sheet(), { row: r, col: c }),
    [row, col] as const,
  );
const rmseSeries = () =>
  page.evaluate(() =>
    window.gradsheet.charts.rmse.data.datasets.map((d) => ({
      label: d.label ?? '',
      ys: d.data.map((p) => p.y),
    })),
  );
const EDITED = RULE_TEXTS.lion.replace('param = param - lr*sign(', 'param = param - 2*lr*sign(');

beforeAll(async () => {
  browser = await launch();
  ({ page, errors } = await openPage(browser, `${base}#sheet=basic`));
  await page.waitForFunction(() => !document.querySelector('#progress:not([hidden])'));
});
afterAll(async () => {
  await browser.close();
});

describe('a sheet of your own rule, in Chromium', () => {
  it("adds a sheet from 'lion': its rows are live formulas and the chart gets its series", async () => {
    expect((await rmseSeries()).map((s) => s.label)).not.toContain('lion (your rule)');
    await page.selectOption('#rule-start', 'lion');
    await page.fill('#rule-name', 'lion');
    await page.locator('#rule-add-form button[type=submit]').click();
    await page.waitForFunction(() => window.gradsheet.sheet() === 'lion');
    await page.waitForFunction(() => document.querySelector('#progress')?.hasAttribute('hidden'));
    expect(await page.locator('#rule-panel').isVisible()).toBe(true);
    expect(await page.locator('#rule-text').inputValue()).toBe(RULE_TEXTS.lion);
    expect(await page.locator('#sheet-tabs button[data-sheet=lion]').count()).toBe(1);
    // Row 4: b = 1, de/db = 2·(15 − 58) = −86, m = 0, so new b = 1 − 0.01·sign(−8.6) = 1.01.
    expect(await cellValue(NEW_B.row, NEW_B.col)).toBe(1.01);
    expect(await formulaOf(NEW_B.row, NEW_B.col)).toBe('=C4-lr*SIGN(beta_1*J33+(1-beta_1)*F4)');
    const series = await rmseSeries();
    expect(series.map((s) => s.label)).toContain('lion (your rule)');
    expect(page.url()).toContain('rule.lion=');
    expect(errors).toEqual([]);
  });

  it('an edited formula in the rule panel recomputes the rows and the chart', async () => {
    const before = (await rmseSeries()).find((s) => s.label === 'lion (your rule)')?.ys;
    await page.locator('#run').click();
    await page.waitForFunction(() => window.gradsheet.workbook().runsDone('lion') === 5);
    const ran = (await rmseSeries()).find((s) => s.label === 'lion (your rule)')?.ys;
    expect(ran).toHaveLength(6);
    expect(ran?.[0]).toBe(before?.[0]);
    await page.fill('#rule-text', EDITED);
    await page.waitForFunction(() =>
      window.gradsheet.workbook().formula('lion', { row: 3, col: 7 })?.includes('2*lr'),
    );
    await page.waitForFunction(() => document.querySelector('#progress')?.hasAttribute('hidden'));
    expect(await cellValue(NEW_B.row, NEW_B.col)).toBe(1.02);
    const after = (await rmseSeries()).find((s) => s.label === 'lion (your rule)')?.ys;
    expect(after).toHaveLength(1); // the edited rule's sheet starts again from Reset
    expect(after?.[0]).not.toBe(before?.[0]);
    expect(await page.locator('#rule-errors li').count()).toBe(0);
  });

  it('a broken formula is named with its line and column, and the sheet keeps its rule', async () => {
    await page.fill('#rule-text', EDITED.replace('sign(', 'sgn('));
    await page.waitForSelector('#rule-errors li');
    const listed = await page.locator('#rule-errors li').allInnerTexts();
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatch(/^lion: line 7, column 22 \(param\): .*'sgn'/);
    expect(await page.locator('#message').innerText()).toMatch(
      /lion: 1 error in the rule or schedule; the sheet keeps the last ones that parsed/,
    );
    expect(await cellValue(NEW_B.row, NEW_B.col)).toBe(1.02);
    // What was typed stays in the box; fixing it clears the list.
    expect(await page.locator('#rule-text').inputValue()).toContain('sgn(');
    await page.fill('#rule-text', EDITED);
    await page.waitForFunction(() => document.querySelectorAll('#rule-errors li').length === 0);
  });

  it('exports the rule sheet as CSV, the same table the workbook gives in Node', async () => {
    const [dl] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#export-csv').click(),
    ]);
    expect(dl.suggestedFilename()).toBe('lion.csv');
    const text = readFileSync(await dl.path(), 'utf8');
    const wb = new Workbook({
      data: workbookData,
      model: workbookModel,
      userSheets: [userSheetDef('lion', EDITED)],
    });
    expect(text).toBe(toCsv(passTable(wb, 'lion')));
    const lines = text.trim().split('\r\n');
    expect(lines).toHaveLength(30);
    expect(lines[0]).toBe('x,y,intercept b,slope a,y_pred,de/db,de/da,new b,new a,m b,m a,err^2');
  });

  it('the link reproduces the sheet with its rule', async () => {
    const other = await browser.newPage();
    await other.goto(page.url());
    await other.waitForFunction(() => 'gradsheet' in window);
    expect(await other.evaluate(() => window.gradsheet.sheet())).toBe('lion');
    expect(await other.locator('#rule-text').inputValue()).toBe(EDITED);
    expect(await other.evaluate(() => window.gradsheet.grid.hot.getDataAtCell(3, 7))).toBe(1.02);
    await other.close();
    expect(errors).toEqual([]);
  });

  it('the rule typed into the sheet trains a few batches of the lesson’s data in the Train tab', async () => {
    await page.goto(`${base}train.html`);
    await trainReady(page);
    await fillSmallRun(page, 1, { '#t-lr': '0.001' });
    await page.selectOption('#t-opt', 'own');
    await page.selectOption('#t-rule-start', 'sheet:lion');
    expect(await page.inputValue('#t-rule')).toBe(EDITED);
    await page.click('#t-train');
    await runEnded(page);
    const run = await page.evaluate(() => window.gradsheetTrain.current());
    expect(run?.status).toBe('done');
    expect(run?.config).toMatchObject({ rule: EDITED, hyper: { beta1: 0.9, beta2: 0.99 } });
    const losses = run?.members[0]?.batchLosses ?? [];
    expect(losses).toHaveLength(8);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(errors).toEqual([]);
  }, 300_000);
});
