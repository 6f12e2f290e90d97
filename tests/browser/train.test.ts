import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, openPage } from './browser.ts';
import { fillSmallRun, runEnded, trainReady } from './train-page.ts';

let browser: Browser;
let page: Page;
let errors: string[];
const url = `${inject('baseUrl')}train.html`;
const exec = promisify(execFile);

const message = () => page.locator('#t-message').innerText();
const text = (sel: string) => page.locator(sel).innerText();
const backendInUse = () => page.evaluate(() => window.gradsheetTrain.backend());
/** Picks a backend in the menu and waits until the restarted worker runs it. */
const pickBackend = async (value: string, expected: string) => {
  await page.selectOption('#t-backend', value);
  await page.waitForFunction((b) => window.gradsheetTrain.backend() === b, expected, {
    timeout: 60_000,
  });
};
const reload = async () => {
  await page.reload();
  await trainReady(page);
};
const status = () => page.evaluate(() => window.gradsheetTrain.current()?.status ?? null);
const waitUntilNotRunning = (timeout = 240_000) => runEnded(page, timeout);
/** A small, quick run: the lesson's first CNN on 512 images, batch 64. */
const smallRun = async (epochs: number, more: Record<string, string> = {}) => {
  await page.selectOption('#t-opt', 'adamw');
  await fillSmallRun(page, epochs, { '#t-lr': '0.01', ...more });
};
const epochTable = async (): Promise<string[][]> =>
  page.$$eval('#t-epochs-table tbody tr', (trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
  );
const downloadText = async (
  click: () => Promise<void>,
): Promise<{ name: string; text: string }> => {
  const [d] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await d.path();
  return { name: d.suggestedFilename(), text: readFileSync(path, 'utf8') };
};

beforeAll(async () => {
  browser = await launch({ webgl: true });
  ({ page, errors } = await openPage(browser, url));
  await trainReady(page);
});
afterAll(async () => {
  await browser.close();
});

describe('the Train tab in Chromium (software WebGL)', () => {
  it('starts on auto, which picks wasm here (WebGL is SwiftShader), says why, and shows the model summary', async () => {
    expect(await page.inputValue('#t-backend')).toBe('auto');
    expect(await backendInUse()).toBe('wasm');
    expect(await text('#t-backend option[value="auto"]')).toBe('auto (wasm: no GPU found)');
    expect(await text('#t-backend-info')).toBe('running on wasm (CPU)');
    expect(await text('#t-where')).toBe('on wasm (CPU)');
    expect(await text('header .tagline')).toMatch(/on Fashion-MNIST, on wasm \(CPU\)$/);
    const note = await text('#t-backend-note');
    expect(note).toMatch(/^auto picked wasm \(CPU\) because no GPU was found: /);
    expect(note).toContain('WebGL draws in software here (SwiftShader)');
    expect(await page.getAttribute('#t-backend-note', 'class')).toBe('backend-note');
    await page.selectOption('#t-model', 'resnet-small');
    // docs/lesson.md §5.1: get_model3 has 1,231,428 parameters and 18.3 MFLOPs
    const total = await page.waitForFunction(
      () => {
        const t = document.querySelector('#t-summary tbody tr:last-child')?.textContent ?? '';
        return t.includes('1,231,428') ? t : null;
      },
      null,
      { timeout: 30_000 },
    );
    expect(await total.jsonValue()).toBe('total1,231,42818.3');
  });

  it('a bad setting is refused where it is typed, with its message', async () => {
    await page.fill('#t-bs', '0');
    await page.fill('#t-lr', '-0.1');
    await page.fill('#t-epochs', 'ten');
    expect(await page.locator('#t-errors').innerText()).toBe(
      [
        'the learning rate must be greater than 0, got -0.1',
        "epochs must be a number; 'ten' is not one",
        'the batch size must be a whole number ≥ 1, got 0',
      ].join('\n'),
    );
    expect(await page.getAttribute('#t-bs', 'aria-invalid')).toBe('true');
    expect(await page.isDisabled('#t-train')).toBe(true);
    await page.fill('#t-bs', '64');
    await page.fill('#t-lr', '0.01');
    await page.fill('#t-epochs', '1');
    expect(await page.locator('#t-errors').innerText()).toBe('');
    expect(await page.isDisabled('#t-train')).toBe(false);
  });

  it('a link sets the form and says what it ignored; Copy link writes the setup into the URL', async () => {
    await page.evaluate(() => {
      location.hash = 'model=cnn&lr=0.003&opt=adam&beta1=0.95&bs=abc&workers=64&micro-batch=8';
    });
    await expect.poll(() => page.inputValue('#t-lr')).toBe('0.003');
    expect(await page.inputValue('#t-model')).toBe('cnn');
    expect(await page.inputValue('#t-opt')).toBe('adam');
    expect(await page.inputValue('#t-hyper-beta1')).toBe('0.95');
    expect(await page.inputValue('#t-bs')).toBe('1024');
    const cores = await page.evaluate(() => window.gradsheetTrain.cores());
    expect(await message()).toBe(
      `link: ignored bs=abc: the batch size must be a number; 'abc' is not one; link: ignored workers=64: workers must be at most ${String(cores)}, the cores this browser reports (more would only wait for a core), got 64; link: ignored micro-batch=8: there is no setting 'micro-batch' in the Train tab`,
    );
    await page.fill('#t-epochs', '3');
    await page.click('#t-copy-link');
    expect(new URL(page.url()).hash).toBe('#model=cnn&lr=0.003&opt=adam&beta1=0.95&epochs=3');
    await page.evaluate(() => {
      location.hash = '';
    });
    await expect.poll(() => page.inputValue('#t-opt')).toBe('adamw');
  });

  it('a short run finishes; its figures appear in the tables and charts; the page stays responsive', async () => {
    await smallRun(2);
    await page.click('#t-train');
    // The main thread keeps ticking while the worker trains: no gap over 250 ms in 2 s.
    const worstGap = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          let last = performance.now();
          let worst = 0;
          const id = setInterval(() => {
            const now = performance.now();
            worst = Math.max(worst, now - last);
            last = now;
          }, 16);
          setTimeout(() => {
            clearInterval(id);
            resolve(worst);
          }, 2000);
        }),
    );
    expect(worstGap).toBeLessThan(250);
    // On wasm this small run may already be done after those 2 s.
    expect(['running', 'done']).toContain(await status());
    await waitUntilNotRunning();
    expect(await status()).toBe('done');
    expect(await message()).toMatch(/^#\d+ adamw: accuracy \d+\.\d\d% in/);
    const rows = await epochTable();
    // Epochs are numbered from 1 where the user sees them (member indices stay from 0).
    expect(rows.map((r) => [r[0], r[3], r[4]])).toEqual([
      ['0', '1', 'train'],
      ['0', '1', 'eval'],
      ['0', '2', 'train'],
      ['0', '2', 'eval'],
    ]);
    const run = await page.evaluate(() => {
      const r = window.gradsheetTrain.current();
      const c = window.gradsheetTrain.charts;
      return {
        accuracy: r?.result?.plainAccuracy ?? NaN,
        lastEval: Number(r?.members[0]?.logs.at(-1)?.accuracy),
        lossPoints: c.loss.data.datasets[0]?.data.length,
        validPoints: c.valid.data.datasets.map((d) => d.data.length),
        lrPoints: c.sched.data.datasets[0]?.data.length,
      };
    });
    expect(run.lossPoints).toBe(2 * 8); // 512 images / 64 per batch × 2 epochs
    expect(run.validPoints).toEqual([2, 2]);
    expect(run.lrPoints).toBe(16);
    // The final evaluation is the last epoch's validation pass, on the same images.
    expect(run.accuracy).toBeCloseTo(run.lastEval, 6);
    expect(run.accuracy).toBeGreaterThan(0.4); // 10 classes: chance is 0.1
    expect(await page.locator('#t-results-table').innerText()).toContain(
      `${(run.accuracy * 100).toFixed(2)}%`,
    );
    expect(await page.locator('.confusion tbody tr').count()).toBe(10);
    expect(await page.locator('.gallery figure').count()).toBeGreaterThan(0);
    expect(await page.locator('.runs-table tbody tr').count()).toBe(1);
    expect(errors).toEqual([]);
  });

  it('the metrics CSV export equals the epoch table', async () => {
    const { name, text } = await downloadText(() =>
      page.click('.runs-table tr.current .metrics-csv'),
    );
    expect(name).toMatch(/^run-.*-metrics\.csv$/);
    const csv = text
      .trim()
      .split(/\r?\n/)
      .map((l) => l.split(','));
    expect(csv[0]).toEqual(['member', 'epoch', 'train', 'loss', 'accuracy', 'seconds']);
    const table = await epochTable();
    expect(
      csv.slice(1).map((r) => [r[0], Number(r[4]).toFixed(3), Number(r[3]).toFixed(3), r[1], r[2]]),
    ).toEqual(table.map((r) => r.slice(0, 5)));
  });

  it('the trained model downloads and loads back for evaluation, with the form’s TTA, as `gradsheet eval` gives it', async () => {
    const [json, bin] = await Promise.all([
      page.waitForEvent('download', (d) => d.suggestedFilename().endsWith('.json')),
      page.waitForEvent('download', (d) => d.suggestedFilename().endsWith('.bin')),
      page.click('.runs-table tr.current .model'),
    ]);
    // the model folder as the CLI reads it
    const dir = mkdtempSync(join(tmpdir(), 'gs-tab-model-'));
    copyFileSync(await json.path(), join(dir, 'model.json'));
    copyFileSync(await bin.path(), join(dir, 'weights.bin'));
    const ttaWas = await page.isChecked('#t-tta');
    const viewsWere = await page.inputValue('#t-tta-views');
    await page.setChecked('#t-tta', true);
    await page.fill('#t-tta-views', '2');
    try {
      await page.setInputFiles(
        '#t-load',
        [await json.path(), await bin.path()].map((p, i) => ({
          name: i === 0 ? json.suggestedFilename() : bin.suggestedFilename(),
          mimeType: 'application/octet-stream',
          buffer: readFileSync(p),
        })),
      );
      await page.waitForSelector('#t-loaded-accuracy', { timeout: 120_000 });
    } finally {
      await page.setChecked('#t-tta', ttaWas);
      await page.fill('#t-tta-views', viewsWere);
    }
    const text = await page.locator('#t-loaded-accuracy').innerText();
    expect(text).toContain('on the 10,000 validation images');
    expect(text).toContain('with TTA (flip, 2 shifts)');
    const [plain, tta] = [...text.matchAll(/(\d+\.\d+)%/g)].map((m) => Number(m[1]) / 100);
    const cli = await exec('node', ['bin/gradsheet.js', 'eval', dir, '--tta', '--tta-views', '2']);
    const rows = new Map(
      [...cli.stdout.matchAll(/^(plain|\+ flip|\+ 2 shifts).*?(\d\.\d{4})\s+\d+\.\d{4}$/gm)].map(
        (m) => [m[1], Number(m[2])],
      ),
    );
    // the page's wasm kernels and Node's oneDNN round apart by 1e-6: an image or two may differ
    expect(Math.abs((plain ?? NaN) - (rows.get('plain') ?? NaN))).toBeLessThanOrEqual(2e-4);
    expect(Math.abs((tta ?? NaN) - (rows.get('+ 2 shifts') ?? NaN))).toBeLessThanOrEqual(2e-4);
    expect(plain).toBeGreaterThan(0.4);
    rmSync(dir, { recursive: true });
  }, 300_000);

  it('lr_find draws loss against lr and its suggestion can be used', async () => {
    await smallRun(1);
    await page.click('#t-lrfind');
    await page.waitForFunction(
      () => !document.querySelector<HTMLButtonElement>('#t-use-lr')?.disabled,
      null,
      {
        timeout: 120_000,
      },
    );
    const curve = await page.evaluate(() =>
      window.gradsheetTrain.charts.lrFind.data.datasets[0]?.data.map((p) => [p.x, p.y]),
    );
    expect(curve?.length).toBeGreaterThan(5);
    // lr grows ×1.3 per batch from 1e-5
    expect(curve?.[0]?.[0]).toBeCloseTo(1e-5, 12);
    expect((curve?.[1]?.[0] ?? 0) / (curve?.[0]?.[0] ?? 1)).toBeCloseTo(1.3, 6);
    expect(await message()).toMatch(/suggested learning rate/);
    await page.click('#t-use-lr');
    const lr = Number(await page.inputValue('#t-lr'));
    const best = curve?.reduce((a, b) => ((b[1] ?? Infinity) < (a[1] ?? Infinity) ? b : a));
    expect(lr).toBeCloseTo((best?.[0] ?? NaN) / 10, 3);
  });

  it('stop keeps the last epoch; after a reload, resume continues the same run', async () => {
    await smallRun(3, { '#t-lr': '0.01' });
    await page.click('#t-train');
    await page.waitForFunction(
      () => (window.gradsheetTrain.current()?.members[0]?.logs.length ?? 0) >= 2,
      null,
      { timeout: 120_000 },
    );
    await page.click('#t-stop');
    await waitUntilNotRunning();
    expect(await status()).toBe('stopped');
    const id = await page.evaluate(() => window.gradsheetTrain.current()?.id);
    await reload();
    expect(await page.evaluate(() => window.gradsheetTrain.current()?.id)).toBe(id);
    expect(await status()).toBe('stopped');
    await page.click('.runs-table tr.current .resume');
    await waitUntilNotRunning();
    expect(await status()).toBe('done');
    const r = await page.evaluate(() => {
      const run = window.gradsheetTrain.current();
      return {
        runs: window.gradsheetTrain.runs().length,
        id: run?.id,
        epochs: run?.members[0]?.logs.map((l) => `${String(l.epoch)} ${l.train}`),
        steps: run?.members[0]?.batchLosses.length,
        lrs: run?.members[0]?.lrs,
      };
    });
    expect(r.id).toBe(id);
    expect(r.epochs).toEqual(['0 train', '0 eval', '1 train', '1 eval', '2 train', '2 eval']);
    expect(r.steps).toBe(3 * 8);
    // One 1cycle over all three epochs: rising to lr 0.01 then falling, across the resume.
    const lrs = r.lrs ?? [];
    expect(Math.max(...lrs)).toBeCloseTo(0.01, 4);
    expect(lrs.at(-1)).toBeLessThan(1e-5);
    expect(r.runs).toBe(2); // the first test's run and this one, resumed in place
  });

  it('an explicit WebGPU choice falls back where there is no adapter, and the header follows the fallback', async () => {
    // This Chromium has no WebGPU adapter (Linux, no Vulkan GPU): WebGPU cannot start.
    expect(await page.evaluate(async () => (await navigator.gpu.requestAdapter()) === null)).toBe(
      true,
    );
    await pickBackend('webgpu', 'webgl');
    expect(await page.inputValue('#t-backend')).toBe('webgpu');
    expect(await text('#t-where')).toBe('on WebGL in software (SwiftShader, CPU)');
    expect(await text('#t-backend-note')).toMatch(
      /^WebGPU did not start \(.+\); using WebGL instead; WebGL runs in software here \(SwiftShader\)/,
    );
  });

  it('an explicit WebGL choice is kept across a reload; the header and a notice say it runs in software', async () => {
    await pickBackend('webgl', 'webgl');
    const where = 'on WebGL in software (SwiftShader, CPU)';
    const check = async () => {
      expect(await page.inputValue('#t-backend')).toBe('webgl');
      expect(await text('#t-where')).toBe(where);
      expect(await text('#t-backend-info')).toBe(`running ${where}`);
      expect(await text('#t-backend-note')).toMatch(
        /^WebGL runs in software here \(SwiftShader\).*the wasm backend trains faster/,
      );
      expect(await page.getAttribute('#t-backend-note', 'class')).toBe('backend-note warn');
    };
    await check();
    await reload();
    expect(await backendInUse()).toBe('webgl');
    await check();
  });

  it('a loss that turns NaN stops the run with a message suggesting a lower lr', async () => {
    await smallRun(1, { '#t-lr': '1e6' });
    await page.selectOption('#t-opt', 'sgd');
    await page.click('#t-train');
    await waitUntilNotRunning();
    expect(await status()).toBe('failed');
    expect(await message()).toMatch(/the loss became (NaN|Infinity).*Try a lower learning rate/);
    // The page is still usable: the form works and Train is enabled again.
    expect(await page.isDisabled('#t-train')).toBe(false);
    // It ran on the explicit choice of the test before: WebGL (SwiftShader).
    expect(await page.evaluate(() => window.gradsheetTrain.current()?.backend)).toBe('webgl');
  });

  it('switching to wasm drops the software notice; a WebGL default saved by an older version reads as auto', async () => {
    await pickBackend('wasm', 'wasm');
    expect(await text('#t-where')).toBe('on wasm (CPU)');
    expect(await text('#t-backend-note')).toBe('');
    expect(await page.locator('#t-backend-note').isVisible()).toBe(false);
    // Before 'auto', WebGL was the default and every visit stored it, without a version.
    await page.evaluate(() => {
      const key = 'gradsheet:train-settings';
      const s = JSON.parse(localStorage.getItem(key) ?? '{}') as Record<string, unknown>;
      delete s.version;
      localStorage.setItem(key, JSON.stringify({ ...s, backend: 'webgl', epochs: '3' }));
    });
    await reload();
    expect(await page.inputValue('#t-backend')).toBe('auto');
    expect(await page.inputValue('#t-epochs')).toBe('3'); // the rest of the form is kept
    expect(await backendInUse()).toBe('wasm');
    expect(await text('#t-where')).toBe('on wasm (CPU)');
    expect(errors).toEqual([]);
  });

  it('a damaged checkpoint in IndexedDB: Resume names the run, says what to do, keeps it', async () => {
    // The failed run becomes a stopped one whose checkpoint (the resumed run's, same model) lost half its weights.
    const { label, bytes } = await page.evaluate(async () => {
      const [done, last] = [
        window.gradsheetTrain.runs().find((r) => r.status === 'done' && r.config.epochs === 3),
        window.gradsheetTrain.current(),
      ];
      const db = await new Promise<IDBDatabase>((ok) => {
        const req = indexedDB.open('gradsheet');
        req.onsuccess = () => {
          ok(req.result);
        };
      });
      const ask = <T>(store: string, act: (s: IDBObjectStore) => IDBRequest): Promise<T> =>
        new Promise((ok) => {
          const req = act(db.transaction(store, 'readwrite').objectStore(store));
          req.onsuccess = () => {
            ok(req.result as T);
          };
        });
      interface Stored {
        state: unknown;
        model: { weights: ArrayBuffer };
      }
      const c = await ask<Stored>('checkpoints', (s) => s.get(`${done?.id ?? ''}/0`));
      const weights = c.model.weights.slice(0, c.model.weights.byteLength / 2);
      await ask('checkpoints', (s) =>
        s.put({ ...c, model: { ...c.model, weights } }, `${last?.id ?? ''}/0`),
      );
      await ask('runs', (s) => s.put({ ...last, status: 'stopped', message: '' }, last?.id));
      db.close();
      return { label: last?.label ?? '', bytes: weights.byteLength };
    });
    // The page's hooks exist only once it has started: reload() waits for them first.
    await reload();
    await page.click('.runs-table tr.current .resume');
    await waitUntilNotRunning();
    expect(await status()).toBe('stopped');
    const text = await message();
    expect(text).toMatch(
      new RegExp(`^${label}: the checkpoint of run-\\w+ in this browser's storage`),
    );
    expect(text).toContain('Resume cannot continue it; it is kept as it is');
    const kept = await page.evaluate(async () => {
      const id = window.gradsheetTrain.current()?.id ?? '';
      const db = await new Promise<IDBDatabase>((ok) => {
        const req = indexedDB.open('gradsheet');
        req.onsuccess = () => {
          ok(req.result);
        };
      });
      const c = await new Promise<{ model: { weights: ArrayBuffer } } | undefined>((ok) => {
        const req = db.transaction('checkpoints').objectStore('checkpoints').get(`${id}/0`);
        req.onsuccess = () => {
          ok(req.result as { model: { weights: ArrayBuffer } } | undefined);
        };
      });
      db.close();
      return c?.model.weights.byteLength;
    });
    expect(kept).toBe(bytes);
  });
});
