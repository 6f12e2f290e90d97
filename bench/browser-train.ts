/**
 * Part of `npm run bench`: training images per second of the Train tab's worker in Chromium on
 * WebGL, next to the same step in Node (tfjs wasm, one thread), measured in the same run.
 * Writes bench/browser.json. Here WebGL is SwiftShader (software): a real GPU is far faster.
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
const rateOn = (): Promise<number> =>
  page.evaluate(([m, b, s]) => window.gradsheetTrain.benchmark(m, b, s), [
    model,
    bs,
    steps,
  ] as const);
const browserRate = await rateOn();
// The fallback backend, for a machine without a GPU: wasm in the page's worker.
await page.selectOption('#t-backend', 'wasm');
await page.waitForFunction(() => window.gradsheetTrain.backend() === 'wasm', null, {
  timeout: 60_000,
});
const wasmRate = await rateOn();
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
writeFileSync('bench/browser.json', JSON.stringify(result, null, 2) + '\n');
