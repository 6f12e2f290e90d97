import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * The packages a page's own script loads, from its import graph with every package external. The
 * Train tab's worker is started by `new Worker(new URL(…))`, which is not an import, so its
 * TensorFlow.js stays out of the graph: the page itself must never need it.
 */
const packagesOf = async (entry: string): Promise<string[]> => {
  const { metafile } = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    packages: 'external',
    loader: { '.css': 'empty' },
    write: false,
    outdir: 'out',
    metafile: true,
    logLevel: 'silent',
  });
  const found = new Set<string>();
  for (const output of Object.values(metafile.outputs))
    for (const i of output.imports)
      if (i.external) found.add(i.path.replace(/^(@[^/]+\/[^/]+|[^/]+).*$/, '$1'));
  return [...found].sort();
};

describe('what each page’s own script loads', () => {
  it('the Train page: charts and nothing of TensorFlow.js (the worker trains)', async () => {
    const packages = await packagesOf('src/app/train/main.ts');
    expect(packages).toContain('chart.js');
    expect(packages.filter((p) => p.startsWith('@tensorflow/'))).toEqual([]);
  });

  it('the Sheet page: the grid and its engine, no TensorFlow.js', async () => {
    const packages = await packagesOf('src/app/main.ts');
    expect(packages).toEqual(expect.arrayContaining(['handsontable', 'hyperformula']));
    expect(packages.filter((p) => p.startsWith('@tensorflow/'))).toEqual([]);
  });

  it('sees TensorFlow.js where it is (so the check above can fail)', async () => {
    expect(await packagesOf('src/app/train/worker.ts')).toContain('@tensorflow/tfjs');
  });
});
