#!/usr/bin/env node
// Runs the CLI compiled to dist/cli/ by `npm install` (scripts/build-cli.mjs). Where that build is
// missing or older than a file under src/ (you are editing the code), it runs the TypeScript
// through tsx instead, so `npx gradsheet …` always runs the code as it is in the checkout.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const built = join(root, 'dist/cli/main.js');

const newestUnder = (dir) => {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestUnder(path));
    else newest = Math.max(newest, statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0); // gone since listed
  }
  return newest;
};

const fresh = existsSync(built) && statSync(built).mtimeMs >= newestUnder(join(root, 'src'));
let main;
if (fresh) {
  ({ main } = await import(built));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
