/**
 * Part of `npm run bench`: training images per second of the Train tab's worker in Chromium on
 * WebGL, next to the same step in Node (tfjs wasm, one thread), measured in the same run; and on
 * wasm with the training worker alone against the page's gradient workers (one per core), in
 * alternating rounds. Writes bench/browser.json. Here WebGL is SwiftShader (software): a real
 * GPU is far faster.
 */
import { writeFileSync } from 'node:fs';
import { build, preview } from 'vite';
import { initNodeBackend } from '../src/training/node/node-backend.ts';
import { trainingRate } from '../src/training/run/throughput.ts';
import { launch } from '../tests/browser/browser.ts';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const model = 'resnet-small';
const bs = flag('bs', 64);
const steps = flag('steps', 3);
const rounds = flag('rounds', 3);
/** The workers' comparison runs at `bench:train`'s batch: at 64 a shard is too small to gain. */
const workersBs = flag('workers-bs', 256);
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
};

// Node: the same step, the same batch, on wasm with one thread.
const backend = await initNodeBackend('wasm');
const nodeRate = await trainingRate(model, bs, steps);

const outDir = 'node_modules/.gradsheet-bench';
await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true } });
const server = await preview({ logLevel: 'warn', build: { outDir }, preview: { port: 0 } });
const url = server.resolvedUrls?.local[0];
if (!url) throw new Error('vite preview did not report a URL');
const browser = await launch({ webgl: true });
const page = await browser.newPage();
await page.goto(`${url}train.html`);
await page.waitForFunction(
  () => 'gradsheetTrain' in window && window.gradsheetTrain.backend() !== '',
  null,
  { timeout: 60_000 },
);
// 'auto' picks wasm where WebGL is software: pick WebGL by hand to time it.
await page.selectOption('#t-backend', 'webgl');
await page.waitForFunction(() => window.gradsheetTrain.backend() === 'webgl', null, {
  timeout: 60_000,
});
const webglBackend = await page.evaluate(() => window.gradsheetTrain.backend());
const rateOn = (workers = 1, batch = bs): Promise<number> =>
  page.evaluate(([m, b, s, w]) => window.gradsheetTrain.benchmark(m, b, s, w), [
    model,
    batch,
    steps,
    workers,
  ] as const);
const browserRate = await rateOn();
// The fallback backend, for a machine without a GPU: wasm in the page's worker.
await page.selectOption('#t-backend', 'wasm');
await page.waitForFunction(() => window.gradsheetTrain.backend() === 'wasm', null, {
  timeout: 60_000,
});
const wasmRate = await rateOn();
// The page's gradient workers against the training worker alone, alternately, on wasm.
const isolated = await page.evaluate(() => crossOriginIsolated);
const cores = await page.evaluate(() => window.gradsheetTrain.cores());
const oneRates: number[] = [];
const allRates: number[] = [];
for (let i = 0; i < rounds; i++) {
  oneRates.push(await rateOn(1, workersBs));
  allRates.push(await rateOn(cores, workersBs));
  console.log(
    `round ${String(i + 1)}/${String(rounds)}: 1 worker ${(oneRates.at(-1) ?? NaN).toFixed(1)} img/s, ${String(cores)} workers ${(allRates.at(-1) ?? NaN).toFixed(1)} img/s`,
  );
}
const oneRate = median(oneRates);
const allRate = median(allRates);
await browser.close();
await server.close();

const result = {
  model,
  bs,
  steps,
  node: { backend: `tfjs ${backend}, 1 thread`, train_img_s: nodeRate },
  browser: { backend: `Chromium ${webglBackend} (SwiftShader)`, train_img_s: browserRate },
  browser_wasm: { backend: 'Chromium wasm, 1 thread', train_img_s: wasmRate },
  ratio_browser_to_node: browserRate / nodeRate,
  browser_workers: {
    backend: 'Chromium wasm, gradient workers (one wasm thread each)',
    cross_origin_isolated: isolated,
    rounds,
    bs: workersBs,
    one_worker_img_s: oneRate,
    workers: cores,
    all_workers_img_s: allRate,
    speedup: allRate / oneRate,
    one_worker_rounds: oneRates,
    all_workers_rounds: allRates,
  },
  date: new Date().toISOString(),
};
console.log(`\n${model} training step, batch ${bs}, ${steps} steps after a warm-up, same run`);
console.log(`  Node    ${result.node.backend.padEnd(34)} ${nodeRate.toFixed(1).padStart(8)} img/s`);
console.log(
  `  browser ${result.browser.backend.padEnd(34)} ${browserRate.toFixed(1).padStart(8)} img/s  (${result.ratio_browser_to_node.toFixed(2)}x Node)`,
);
console.log(
  `  browser ${result.browser_wasm.backend.padEnd(34)} ${wasmRate.toFixed(1).padStart(8)} img/s  (${(wasmRate / nodeRate).toFixed(2)}x Node)`,
);
console.log(
  `  browser wasm, 1 worker, batch ${String(workersBs)}${' '.repeat(10)} ${oneRate.toFixed(1).padStart(8)} img/s  (median of ${String(rounds)})`,
);
console.log(
  `  browser wasm, ${String(cores)} gradient workers${' '.repeat(11)} ${allRate.toFixed(1).padStart(8)} img/s  (${(allRate / oneRate).toFixed(2)}x one worker)`,
);
writeFileSync('bench/browser.json', JSON.stringify(result, null, 2) + '\n');
