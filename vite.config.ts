import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Connect, Plugin } from 'vite';
import { defineConfig } from 'vite';

const DATA_DIR = resolve('data');
const dataFiles = (): string[] => readdirSync(DATA_DIR).filter((f) => f.endsWith('.gz'));

/** Serves `data/*.gz` (Fashion-MNIST) at `/data/` in dev and preview, and copies them into the build. */
const fashionMnist = (): Plugin => {
  const serve: Connect.NextHandleFunction = (req, res, next) => {
    const name = /^\/data\/([\w.-]+\.gz)$/.exec(req.url ?? '')?.[1];
    if (!name || !dataFiles().includes(name)) {
      next();
      return;
    }
    const path = join(DATA_DIR, name);
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Length', String(statSync(path).size));
    res.setHeader('Cache-Control', 'max-age=86400');
    createReadStream(path).pipe(res);
  };
  return {
    name: 'gradsheet-fashion-mnist',
    configureServer(server) {
      server.middlewares.use(serve);
    },
    configurePreviewServer(server) {
      server.middlewares.use(serve);
    },
    generateBundle() {
      for (const f of dataFiles())
        this.emitFile({
          type: 'asset',
          fileName: `data/${f}`,
          source: readFileSync(join(DATA_DIR, f)),
        });
    },
  };
};

/**
 * Cross-origin isolation: with these headers a page may share memory between its workers
 * (SharedArrayBuffer), which the Train tab's gradient workers need to normalise BatchNorm over
 * the whole batch. A static host serving dist/ must send the same two headers.
 */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

export default defineConfig({
  server: { port: 5173, strictPort: false, host: '127.0.0.1', headers: ISOLATION_HEADERS },
  preview: { port: 4173, host: '127.0.0.1', headers: ISOLATION_HEADERS },
  plugins: [fashionMnist()],
  worker: { format: 'es' },
  build: {
    chunkSizeWarningLimit: 4000,
    target: 'es2022',
    rolldownOptions: { input: { main: resolve('index.html'), train: resolve('train.html') } },
  },
});
