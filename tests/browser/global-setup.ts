import { createHash } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { build, preview } from 'vite';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

// node_modules may be shared by several checkouts: each builds into its own folder.
const outDir = `node_modules/.gradsheet-browser-test-${createHash('sha1').update(process.cwd()).digest('hex').slice(0, 8)}`;

/** Builds the app once and serves the production bundle on a free local port. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const server = await preview({
    logLevel: 'warn',
    build: { outDir },
    preview: { port: 0, host: '127.0.0.1', strictPort: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  project.provide('baseUrl', url);
  return async () => {
    await server.close();
  };
}
