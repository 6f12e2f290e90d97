import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  cosineAnnealing,
  oneCycle,
  RULE_TEXTS,
  SCHEDULE_TEXTS,
} from '../../src/optimizers/index.ts';
import { launch, openPage } from './browser.ts';
import { fillSmallRun, runEnded, trainReady } from './train-page.ts';

let browser: Browser;
let page: Page;
let errors: string[];
const url = `${inject('baseUrl')}train.html`;

const LR = 1e-3;
/** cnn on 512 images in batches of 64, one epoch: 8 steps. */
const STEPS = 8;
type Drawn = { label: string; points: { x: number; y: number }[] }[];
const drawn = (): Promise<Drawn> => page.evaluate(() => window.gradsheetTrain.preview());
const at = (lines: Drawn, label: string, step: number): number =>
  lines.find((l) => l.label.startsWith(label))?.points.find((p) => p.x === step)?.y ?? NaN;

beforeAll(async () => {
  browser = await launch();
  ({ page, errors } = await openPage(browser, url));
  await trainReady(page);
});
afterAll(async () => {
  await browser.close();
});

describe('the Train tab with your own rule and schedule (Chromium)', () => {
  it('Lion from the library: its text in the box, its hyperparameters as cells', async () => {
    await fillSmallRun(page, 1, { '#t-lr': String(LR) });
    await page.selectOption('#t-opt', 'own');
    await page.selectOption('#t-rule-start', 'lion');
    expect(await page.inputValue('#t-rule')).toBe(RULE_TEXTS.lion);
    expect(await page.inputValue('#t-hyper-beta1')).toBe('0.9');
    expect(await page.inputValue('#t-hyper-beta2')).toBe('0.99');
    expect(await page.locator('#t-hyper-eps').count()).toBe(0);
    expect(await page.locator('#t-rule-errors li').count()).toBe(0);
  });

  it('a cosine formula: the preview draws it on PyTorch’s CosineAnnealingLR, beside OneCycleLR', async () => {
    await page.selectOption('#t-sched', 'own');
    await page.selectOption('#t-sched-start', 'cosine');
    expect(await page.inputValue('#t-sched-formula')).toBe(SCHEDULE_TEXTS.cosine);
    await expect
      .poll(async () => (await drawn()).map((l) => l.label.split(' (')[0]))
      .toEqual(['your schedule: lr', 'PyTorch CosineAnnealingLR', 'PyTorch OneCycleLR']);
    const lines = await drawn();
    expect(lines.map((l) => l.points.length)).toEqual([STEPS, STEPS, STEPS]);
    const cosine = cosineAnnealing({ baseLr: LR, tMax: STEPS });
    const cycle = oneCycle({ maxLr: LR, totalSteps: STEPS });
    for (const step of [0, 3, 4, 7]) {
      expect(at(lines, 'your schedule: lr', step)).toBeCloseTo(cosine(step), 15);
      expect(at(lines, 'PyTorch CosineAnnealingLR', step)).toBeCloseTo(cosine(step), 15);
      expect(at(lines, 'PyTorch OneCycleLR', step)).toBeCloseTo(cycle.lr(step), 15);
    }
    expect(at(lines, 'your schedule: lr', 4)).toBeCloseTo(LR / 2, 15);
    expect(await page.locator('#t-preview-caption').innerText()).toContain(
      'over this run’s 8 steps',
    );
  });

  it('trains with them; the record holds the rule and schedule texts, the table names them', async () => {
    const before = await page.evaluate(() => window.gradsheetTrain.runs().length);
    await page.click('#t-train');
    await runEnded(page);
    const run = await page.evaluate(() => window.gradsheetTrain.current());
    expect(await page.evaluate(() => window.gradsheetTrain.runs().length)).toBe(before + 1);
    expect(run?.status).toBe('done');
    expect(run?.label).toMatch(/^#\d+ lion$/);
    expect(run?.config).toMatchObject({
      rule: RULE_TEXTS.lion,
      schedFormula: SCHEDULE_TEXTS.cosine,
      schedEvery: 'batch',
      hyper: { beta1: 0.9, beta2: 0.99 },
    });
    expect(Number.isFinite(run?.result?.loss)).toBe(true);
    const member = run?.members[0];
    expect(member?.batchLosses).toHaveLength(STEPS);
    expect(member?.batchLosses.every(Number.isFinite)).toBe(true);
    const cosine = cosineAnnealing({ baseLr: LR, tMax: STEPS });
    member?.lrs.forEach((lr, step) => {
      expect(lr).toBeCloseTo(cosine(step), 9);
    });
    const row = page.locator(`#t-runs tr[data-run="${run?.id ?? ''}"]`);
    expect(await row.innerText()).toContain(
      'cnn · rule lion 0.001 · own schedule per batch · 1 ep',
    );
  });

  it('a run per epoch stops and, after a reload, resumes with its own rule and schedule', async () => {
    await page.fill('#t-epochs', '3');
    await page.selectOption('#t-sched-every', 'epoch');
    await page.click('#t-train');
    await page.waitForFunction(
      () => (window.gradsheetTrain.current()?.members[0]?.logs.length ?? 0) >= 2,
      null,
      { timeout: 120_000 },
    );
    await page.click('#t-stop');
    await runEnded(page, 120_000);
    expect(await page.evaluate(() => window.gradsheetTrain.current()?.status)).toBe('stopped');
    await page.reload();
    await trainReady(page);
    await page.click('.runs-table tr.current .resume');
    await runEnded(page);
    const run = await page.evaluate(() => window.gradsheetTrain.current());
    expect(run?.status).toBe('done');
    expect(run?.config).toMatchObject({ rule: RULE_TEXTS.lion, schedEvery: 'epoch' });
    // Cosine over 3 epochs, each epoch's lr held over its 8 batches, across the resume.
    const perEpoch = cosineAnnealing({ baseLr: LR, tMax: 3 });
    const lrs = run?.members[0]?.lrs ?? [];
    expect(lrs).toHaveLength(3 * STEPS);
    lrs.forEach((lr, step) => {
      expect(lr).toBeCloseTo(perEpoch(Math.floor(step / STEPS)), 9);
    });
    expect(run?.members[0]?.batchLosses.every(Number.isFinite)).toBe(true);
  });

  it('a bad formula shows a located error, keeps what was typed, and starts no run', async () => {
    await page.fill('#t-sched-formula', 'lr = lr * foo(pct)');
    await expect
      .poll(() => page.locator('#t-sched-errors').innerText())
      .toMatch(/^your schedule: line 1, column 11 \(lr's schedule\): unknown function 'foo'/);
    expect(await page.isDisabled('#t-train')).toBe(true);
    expect(await page.getAttribute('#t-train', 'title')).toMatch(
      /^fix the marked settings first: the schedule formula: line 1, column 11/,
    );
    expect(await page.getAttribute('#t-sched-formula', 'aria-invalid')).toBe('true');
    const before = await page.evaluate(() => window.gradsheetTrain.runs().length);
    await page.click('#t-train', { force: true });
    expect(await page.evaluate(() => window.gradsheetTrain.runs().length)).toBe(before);
    await expect
      .poll(async () => (await drawn()).filter((l) => l.label.startsWith('your')).length)
      .toBe(0);
    await page.reload();
    await page.waitForFunction(() => 'gradsheetTrain' in window);
    expect(await page.inputValue('#t-sched-formula')).toBe('lr = lr * foo(pct)');
    expect(await page.locator('#t-sched-errors').innerText()).toContain("unknown function 'foo'");
    expect(errors).toEqual([]);
  });

  it('a link’s bad rule is refused with its line and column, the rest opens; Sheet-tab rules are offered', async () => {
    await page.evaluate((text) => {
      localStorage.setItem(
        'gradsheet:state',
        new URLSearchParams({ 'rule.mine': text }).toString(),
      );
    }, RULE_TEXTS.nesterov);
    const q = new URLSearchParams({ rule: 'param = param - lr*q', epochs: '2' });
    await page.goto(`${url}#${q.toString()}`);
    await page.reload(); // a new hash alone would not reopen the page (and read the Sheet tab's rules)
    await page.waitForFunction(() => 'gradsheetTrain' in window);
    expect(await page.locator('#t-message').innerText()).toBe(
      "link: ignored rule=param = param - lr*q: the rule: line 1, column 20 (param): unknown name 'q'; here you may use param, grad, lr, step, pi, e",
    );
    expect(await page.inputValue('#t-epochs')).toBe('2');
    await page.selectOption('#t-opt', 'own');
    await page.selectOption('#t-rule-start', 'sheet:mine');
    expect(await page.inputValue('#t-rule')).toBe(RULE_TEXTS.nesterov);
    expect(await page.inputValue('#t-hyper-beta1')).toBe('0.9');
  });
});
