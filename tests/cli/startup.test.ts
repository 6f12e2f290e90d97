import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * The packages each command loads before it runs, from the compiled CLI's import graph (built as
 * scripts/build-cli.mjs builds it, but with every package external, so each one shows): the
 * static imports from main.js, then from the command's chunk.
 */
const loadedBy = async (): Promise<{ main: string[]; sheet: string[] }> => {
  const { metafile } = await build({
    entryPoints: { main: 'src/cli/main.ts' },
    outdir: 'out',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const packagesFrom = (start: string): string[] => {
    const seen = new Set<string>();
    const found = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const i of metafile.outputs[file]?.imports ?? []) {
        if (i.kind === 'dynamic-import') continue;
        if (i.external) found.add(i.path.replace(/^(@[^/]+\/[^/]+|[^/]+).*$/, '$1'));
        else visit(i.path);
      }
    };
    visit(start);
    return [...found].sort();
  };
  const outputs = Object.keys(metafile.outputs).filter((f) => f.endsWith('.js'));
  const sheetChunk = outputs.find((f) => f.includes('sheet-command-')) ?? '';
  return { main: packagesFrom('out/main.js'), sheet: packagesFrom(sheetChunk) };
};

describe('the CLI starts at once', () => {
  it('--help loads no tfjs and no sheet engine; sheet loads no tfjs, and exceljs only for --xlsx', async () => {
    const { main, sheet } = await loadedBy();
    expect(main.filter((p) => !p.startsWith('node:'))).toEqual([]);
    expect(sheet.filter((p) => !p.startsWith('node:'))).toEqual(['hyperformula', 'mathjs']);
  });
});
