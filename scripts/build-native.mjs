// Builds gradsheet's native kernels for Node into native/build/gradsheet-native.node (not under
// dist/, which `vite build` empties):
// native/conv.cc, convolutions through oneDNN 2.x (the library PyTorch's CPU convolutions use),
// and native/channels.cc, BatchNorm's per-channel passes. Run by `npm install` (the `prepare`
// script) and `npm run build:native`. Optional: without a C++ compiler or oneDNN's headers
// (Debian 12: `apt-get install g++ libdnnl-dev`) it says so, removes any older build, and Node
// trains on tfjs's wasm kernels alone, as the browser does. Never fails the install.
/* global process, console */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..');
const sources = ['native/conv.cc', 'native/channels.cc', 'scripts/build-native.mjs'].map((f) =>
  join(root, f),
);
const out = join(root, 'native/build/gradsheet-native.node');
const nodeHeaders = [
  process.env.npm_config_nodedir && join(process.env.npm_config_nodedir, 'include/node'),
  join(dirname(dirname(process.execPath)), 'include/node'),
  '/usr/include/node',
].filter((dir) => dir && existsSync(join(dir, 'node_api.h')));

const skip = (why) => {
  rmSync(out, { force: true }); // an older build must not run in place of these sources
  console.log(`gradsheet: native kernels not built (${why}); Node trains on wasm kernels only`);
  process.exit(0);
};

if (existsSync(out) && sources.every((f) => statSync(out).mtimeMs >= statSync(f).mtimeMs))
  process.exit(0);
if (!nodeHeaders.length) skip("no node_api.h: Node's headers are missing");
if (!existsSync('/usr/include/oneapi/dnnl/dnnl.hpp'))
  skip('no oneDNN headers: apt-get install libdnnl-dev');
mkdirSync(dirname(out), { recursive: true });
const cxx = process.env.CXX ?? 'g++';
// No -march: a build copied to another CPU must not die of an illegal instruction (oneDNN picks
// its code for the CPU it finds when it runs).
const args = ['-O3', '-std=c++17', '-shared', '-fPIC', '-fopenmp', `-I${nodeHeaders[0]}`];
const r = spawnSync(cxx, [...args, ...sources.slice(0, 2), '-o', out, '-ldnnl'], {
  encoding: 'utf8',
});
if (r.error) skip(`${cxx}: ${r.error.message}`);
if (r.status !== 0) skip(`${cxx} failed:\n${r.stderr.trim()}`);
console.log(
  `gradsheet: built ${out.slice(root.length + 1)} (oneDNN convolutions, BatchNorm passes)`,
);
