// Takes docs/rule-sheet.png: the Sheet tab with Lion typed in as a user rule, run 5 epochs.
// Usage: node scripts/rule-sheet-screenshot.mjs (builds the app, serves it, drives Chromium).
// Node runs this file; the arrow functions passed to page.waitForFunction/evaluate run in the page.
/* global process, URLSearchParams, window, document */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';

const LION = `# Lion (Chen et al. 2023): step by the sign of an interpolation, then update the momentum
name lion
hyper beta1 = 0.9
hyper beta2 = 0.99
state m = 0
param = param - lr*sign(beta1*m + (1-beta1)*grad)
m = beta2*m + (1-beta2)*grad`;

const outDir = mkdtempSync(join(tmpdir(), 'gradsheet-shot-'));
await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true } });
const server = await preview({
  logLevel: 'warn',
  build: { outDir },
  preview: { port: 0, host: '127.0.0.1', strictPort: false },
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  const q = new URLSearchParams({ sheet: 'lion', 'rule.lion': LION, 'lion.lr': '0.1' });
  await page.goto(`${server.resolvedUrls.local[0]}#${q}`);
  await page.waitForFunction(() => 'gradsheet' in window);
  await page.locator('#run-all').click(); // every optimizer, lion among them, reset and run 5 epochs
  await page.waitForFunction(() => window.gradsheet.workbook().runsDone('lion') === 5);
  await page.waitForFunction(() => document.querySelector('#progress')?.hasAttribute('hidden'));
  await page.evaluate(() => window.gradsheet.grid.hot.selectCell(3, 7));
  await page.waitForTimeout(500);
  await page.screenshot({ path: 'docs/rule-sheet.png' });
} finally {
  await browser.close();
  await server.close();
  rmSync(outDir, { recursive: true, force: true });
}
