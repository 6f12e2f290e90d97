// Compiles the CLI to plain JavaScript in dist/cli/, so `npx gradsheet` starts without compiling
// TypeScript at every call. Run by `npm install` (the `prepare` script) and `npm run build:cli`.
// Packages stay external (Node loads them from node_modules); the train command's code, which
// imports tfjs, is split into its own chunks and loaded only by the commands that need it.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

// The sheet's engines are bundled: mathjs tree-shaken to what the sheet uses (parse, derivative,
// the node guards), and HyperFormula, so Node reads one file instead of hundreds of modules.
// `sheet basic` then starts in about half the time (bench/cli-startup.ts).
const BUNDLED = ['mathjs', 'hyperformula'];
// Optional dependencies stay external too: `webgpu` (Dawn) finds its dawn.node beside its own
// index.js, which a bundle would move into dist/cli/.
const { dependencies, optionalDependencies = {} } = JSON.parse(
  readFileSync('package.json', 'utf8'),
);
const external = [...Object.keys(dependencies), ...Object.keys(optionalDependencies)]
  .filter((name) => !BUNDLED.includes(name))
  .flatMap((name) => [name, `${name}/*`]);

const outdir = 'dist/cli';
rmSync(outdir, { recursive: true, force: true }); // no chunks left from an earlier build
await build({
  entryPoints: { main: 'src/cli/main.ts', 'grad-worker': 'src/training/parallel/grad-worker.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  sourcemap: true,
  logLevel: 'warning',
});
// The gradient workers boot from boot.mjs beside the code that starts them (see parallel/pool.ts).
writeFileSync(
  `${outdir}/boot.mjs`,
  "// Worker entry for the compiled CLI.\nawait import('./grad-worker.js');\n",
);
