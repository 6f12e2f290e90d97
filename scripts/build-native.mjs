// Builds gradsheet's native kernels for Node into dist/native/gradsheet-native.node:
// native/conv.cc, convolutions through oneDNN (the library PyTorch's CPU convolutions use), and
// native/channels.cc, BatchNorm's per-channel passes. Run by `npm install` (the `prepare` script)
// and `npm run build:native`. Optional: without a C++ compiler or oneDNN's headers
// (Debian: `apt-get install g++ libdnnl-dev`) it says so and stops, and training in Node runs
// every convolution on tfjs's wasm kernels, as in the browser. Never fails the install.
/* global process, console */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..');
const sources = ['native/conv.cc', 'native/channels.cc'].map((f) => join(root, f));
const out = join(root, 'dist/native/gradsheet-native.node');
const nodeHeaders = [
  process.env.npm_config_nodedir && join(process.env.npm_config_nodedir, 'include/node'),
  join(dirname(dirname(process.execPath)), 'include/node'),
  '/usr/include/node',
].filter((dir) => dir && existsSync(join(dir, 'node_api.h')));

const skip = (why) => {
  console.log(
    `gradsheet: native convolutions not built (${why}); Node trains on wasm kernels only`,
  );
  process.exit(0);
};

if (existsSync(out) && sources.every((f) => statSync(out).mtimeMs >= statSync(f).mtimeMs))
  process.exit(0);
if (!nodeHeaders.length) skip("no node_api.h: Node's headers are missing");
if (!['/usr/include/oneapi/dnnl/dnnl.hpp', '/usr/include/dnnl.hpp'].some((f) => existsSync(f)))
  skip('no oneDNN headers: apt-get install libdnnl-dev');
mkdirSync(dirname(out), { recursive: true });
const cxx = process.env.CXX ?? 'g++';
// -march=native: built where it runs (npm install), so the channel passes use this CPU's vectors
const args = [
  '-O3',
  '-march=native',
  '-std=c++17',
  '-shared',
  '-fPIC',
  '-fopenmp',
  `-I${nodeHeaders[0]}`,
];
const r = spawnSync(cxx, [...args, ...sources, '-o', out, '-ldnnl'], { encoding: 'utf8' });
if (r.error) skip(`${cxx}: ${r.error.message}`);
if (r.status !== 0) skip(`${cxx} failed:\n${r.stderr.trim()}`);
console.log(`gradsheet: built ${out.slice(root.length + 1)} (native kernels for Node: oneDNN convolutions, BatchNorm passes)`);
