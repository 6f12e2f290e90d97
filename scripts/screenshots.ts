/**
 * Takes the README's screenshots from the built app, in Chromium:
 * - docs/rule-sheet.png: Lion typed into a sheet of its own, run beside the built-ins;
 * - docs/schedule-preview.png: the Train tab with Lion and 1cycle typed as formulas, the preview
 *   beside PyTorch's CosineAnnealingLR and OneCycleLR.
 * Usage: npx tsx scripts/screenshots.ts [rule-sheet|schedule-preview]   (default: both)
 * The rule and the schedule are the library's (`RULE_TEXTS.lion`, `SCHEDULE_TEXTS['one-cycle']`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { build, preview } from 'vite';
import { RULE_TEXTS, SCHEDULE_TEXTS } from '../src/optimizers/index.ts';
import { launch } from '../tests/browser/browser.ts';

const SHOTS: Readonly<Record<string, (page: Page, base: string) => Promise<void>>> = {
  'rule-sheet': async (page, base) => {
    await page.setViewportSize({ width: 1200, height: 800 });
    const q = new URLSearchParams({
      sheet: 'lion',
      'rule.lion': RULE_TEXTS.lion,
      'lion.lr': '0.1',
    });
    await page.goto(`${base}#${q.toString()}`);
    await page.waitForFunction(() => 'gradsheet' in window);
    await page.locator('#run-all').click(); // every optimizer, lion among them, reset and run 5 epochs
    await page.waitForFunction(() => window.gradsheet.workbook().runsDone('lion') === 5);
    await page.waitForFunction(() => document.querySelector('#progress')?.hasAttribute('hidden'));
    await page.evaluate(() => window.gradsheet.grid.hot.selectCell(3, 7));
    await page.waitForTimeout(500);
    await page.screenshot({ path: 'docs/rule-sheet.png' });
  },
  'schedule-preview': async (page, base) => {
    await page.setViewportSize({ width: 1200, height: 1000 });
    const q = new URLSearchParams({
      lr: '0.001',
      rule: RULE_TEXTS.lion,
      'sched-formula': SCHEDULE_TEXTS['one-cycle'],
      epochs: '5',
    });
    await page.goto(`${base}train.html#${q.toString()}`);
    await page.waitForFunction(() => 'gradsheetTrain' in window);
    await page.waitForFunction(() => window.gradsheetTrain.preview().length === 5);
    await page.waitForTimeout(500);
    await page.locator('#t-form').screenshot({ path: 'docs/schedule-preview.png' });
  },
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(w in SHOTS));
if (unknown.length) {
  process.stderr.write(
    `screenshots: no shot ${unknown.join(', ')}; shots: ${Object.keys(SHOTS).join(', ')}\n`,
  );
  process.exit(2);
}

const outDir = mkdtempSync(join(tmpdir(), 'gradsheet-shot-'));
await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true } });
const server = await preview({
  logLevel: 'warn',
  build: { outDir },
  preview: { port: 0, host: '127.0.0.1', strictPort: false },
});
const browser = await launch();
try {
  const base = server.resolvedUrls?.local[0] ?? '';
  for (const name of wanted.length ? wanted : Object.keys(SHOTS)) {
    const page = await browser.newPage();
    await SHOTS[name]?.(page, base);
    await page.close();
    console.log(`wrote docs/${name}.png`);
  }
} finally {
  await browser.close();
  await server.close();
  rmSync(outDir, { recursive: true, force: true });
}
