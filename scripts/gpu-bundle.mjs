// `npm run gpu:bundle`: what `scripts/gpu-check.sh` needs on a machine that reaches no package
// registry, in gpu-bundle/ (ignored by git; the device tool carries it, 64 MiB at most):
//   check.mjs                     bench/gpu/check.ts with tfjs and the trainer inlined (esbuild)
//   node_modules/webgpu/          Dawn for Node: index.js, package.json, dist/linux-x64/dawn.node.gz
//   bin/node.gz                   the Node that runs this script (stripped when `strip` exists)
//   lib/libvulkan.so.1            the Vulkan loader, used only where the machine lacks one
//   manifest.json                 versions and sizes
// gzip, not xz: gzip is on every Linux; the check unpacks with gzip, else python3 or node.
/* global process, console */
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, gzipSync } from 'node:zlib';

const out = 'gpu-bundle';
const LIMIT = 60 * 1024 * 1024; // the carry limit is 64 MiB, for everything carried
if (process.platform !== 'linux' || process.arch !== 'x64')
  throw new Error(
    'gpu:bundle packs linux-x64 binaries (Dawn, Node, libvulkan); run it on linux-x64',
  );

rmSync(out, { recursive: true, force: true });
mkdirSync(`${out}/bin`, { recursive: true });
mkdirSync(`${out}/lib`, { recursive: true });
const dawnDir = `${out}/node_modules/webgpu/dist/linux-x64`;
mkdirSync(dawnDir, { recursive: true });

await build({
  entryPoints: ['bench/gpu/check.ts'],
  outfile: `${out}/check.mjs`,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['webgpu'], // loaded from gpu-bundle/node_modules/webgpu beside it
  minify: true,
  // Some CommonJS inside tfjs calls require() for Node's own modules.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  logLevel: 'warning',
});

const gz = (from, to) =>
  writeFileSync(to, gzipSync(readFileSync(from), { level: constants.Z_DEFAULT_COMPRESSION }));

const webgpu = 'node_modules/webgpu';
if (!existsSync(`${webgpu}/dist/linux-x64/dawn.node`))
  throw new Error(`${webgpu}/dist/linux-x64/dawn.node is missing: npm install webgpu`);
for (const f of ['index.js', 'package.json', 'LICENSE.md'])
  copyFileSync(`${webgpu}/${f}`, `${out}/node_modules/webgpu/${f}`);
gz(`${webgpu}/dist/linux-x64/dawn.node`, `${dawnDir}/dawn.node.gz`);

let node = process.execPath;
const stripped = join(tmpdir(), `gradsheet-node-${process.pid}`);
try {
  execFileSync('strip', ['-o', stripped, node], { stdio: 'ignore' });
  node = stripped;
} catch {
  // no binutils: the unstripped binary, larger
}
gz(node, `${out}/bin/node.gz`);
if (node === stripped) rmSync(stripped);

const loader = [
  '/usr/lib/x86_64-linux-gnu/libvulkan.so.1',
  '/lib/x86_64-linux-gnu/libvulkan.so.1',
  '/usr/lib64/libvulkan.so.1',
  '/usr/lib/libvulkan.so.1',
].find(existsSync);
if (loader) copyFileSync(realpathSync(loader), `${out}/lib/libvulkan.so.1`);
else
  console.warn(
    'gpu:bundle: no libvulkan.so.1 here (apt-get install libvulkan1); the bundle has none',
  );

const files = execFileSync('find', [out, '-type', 'f'], { encoding: 'utf8' })
  .trim()
  .split('\n')
  .sort();
const sizes = Object.fromEntries(files.map((f) => [f.slice(out.length + 1), statSync(f).size]));
const total = Object.values(sizes).reduce((a, b) => a + b, 0);
const manifest = {
  created: new Date().toISOString(),
  node: process.version,
  webgpu: JSON.parse(readFileSync(`${webgpu}/package.json`, 'utf8')).version,
  libvulkan: loader ? realpathSync(loader).split('/').at(-1) : null,
  total_bytes: total,
  files: sizes,
};
writeFileSync(`${out}/manifest.json`, JSON.stringify(manifest, null, 2) + '\n');
console.log(`gpu:bundle: ${out}/, ${(total / 2 ** 20).toFixed(1)} MiB in ${files.length} files`);
for (const [f, s] of Object.entries(sizes))
  console.log(`  ${(s / 2 ** 20).toFixed(1).padStart(6)} MiB  ${f}`);
if (total > LIMIT)
  throw new Error(`gpu-bundle/ is ${total} bytes, over ${LIMIT}: it would not travel`);
