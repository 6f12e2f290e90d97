// Takes docs/schedule-preview.png: the Train tab with Lion and the 1cycle schedule typed as
// formulas, its preview beside PyTorch's CosineAnnealingLR and OneCycleLR.
// Usage: node scripts/schedule-preview-screenshot.mjs (builds the app, serves it, drives Chromium).
// Node runs this file; the arrow functions passed to page.waitForFunction run in the page.
/* global process, URLSearchParams, window */
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

// The homework: 1cycle from scratch, PyTorch's OneCycleLR with its defaults.
const ONE_CYCLE = `# 1cycle: warm up from lr/25 over the first 30% of steps, then anneal to lr/25/1e4
let up = 0.3*total - 1
let down = total - 1 - up
let warm = (1 + cos(pi*step/up))/2
let cool = (1 + cos(pi*(step - up)/down))/2
lr = step <= up ? lr + (lr/25 - lr)*warm : lr/25/10000 + (lr - lr/25/10000)*cool
beta1 = step <= up ? 0.85 + (0.95 - 0.85)*warm : 0.95 + (0.85 - 0.95)*cool`;

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
  const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
  const q = new URLSearchParams({
    lr: '0.001',
    rule: LION,
    'sched-formula': ONE_CYCLE,
    epochs: '5',
  });
  await page.goto(`${server.resolvedUrls.local[0]}train.html#${q}`);
  await page.waitForFunction(() => 'gradsheetTrain' in window);
  await page.waitForFunction(() => window.gradsheetTrain.preview().length === 5);
  await page.waitForTimeout(500);
  await page.locator('#t-form').screenshot({ path: 'docs/schedule-preview.png' });
} finally {
  await browser.close();
  await server.close();
  rmSync(outDir, { recursive: true, force: true });
}
