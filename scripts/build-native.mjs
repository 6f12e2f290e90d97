// Builds gradsheet's native convolutions for Node (native/conv.cc: oneDNN, the library PyTorch's
// CPU convolutions use) into dist/native/gradsheet-conv.node. Run by `npm install` (the `prepare`
// script) and `npm run build:native`. Optional: without a C++ compiler or oneDNN's headers
// (Debian: `apt-get install g++ libdnnl-dev`) it says so and stops, and training in Node runs
// every convolution on tfjs's wasm kernels, as in the browser. Never fails the install.
/* global process, console */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..');
const source = join(root, 'native/conv.cc');
const out = join(root, 'dist/native/gradsheet-conv.node');
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

if (existsSync(out) && statSync(out).mtimeMs >= statSync(source).mtimeMs) process.exit(0);
if (!nodeHeaders.length) skip("no node_api.h: Node's headers are missing");
if (!['/usr/include/oneapi/dnnl/dnnl.hpp', '/usr/include/dnnl.hpp'].some((f) => existsSync(f)))
  skip('no oneDNN headers: apt-get install libdnnl-dev');
mkdirSync(dirname(out), { recursive: true });
const cxx = process.env.CXX ?? 'g++';
const args = ['-O2', '-std=c++17', '-shared', '-fPIC', '-fopenmp', `-I${nodeHeaders[0]}`];
const r = spawnSync(cxx, [...args, source, '-o', out, '-ldnnl'], { encoding: 'utf8' });
if (r.error) skip(`${cxx}: ${r.error.message}`);
if (r.status !== 0) skip(`${cxx} failed:\n${r.stderr.trim()}`);
console.log(`gradsheet: built ${out.slice(root.length + 1)} (oneDNN convolutions for Node)`);
