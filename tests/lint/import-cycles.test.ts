import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../src');

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : /\.tsx?$/.test(e.name)
        ? [join(dir, e.name)]
        : [],
  );

/** Each source file's relative imports (type-only ones too: they tie the modules as well). */
const graph = (): Map<string, string[]> =>
  new Map(
    sources(root).map((file) => {
      const text = readFileSync(file, 'utf8');
      const targets = [...text.matchAll(/^(?:import|export)[^;]*?from '(\.[^']+)'/gms)].map((m) =>
        resolve(dirname(file), m[1] ?? ''),
      );
      return [file, targets];
    }),
  );

/** Every import cycle, each as the files along it (depth-first search, white/grey/black). */
const cycles = (g: Map<string, string[]>): string[][] => {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const found: string[][] = [];
  const visit = (f: string): void => {
    state.set(f, 'open');
    path.push(f);
    for (const t of g.get(f) ?? []) {
      if (state.get(t) === 'open') found.push(path.slice(path.indexOf(t)));
      else if (!state.has(t) && g.has(t)) visit(t);
    }
    path.pop();
    state.set(f, 'done');
  };
  for (const f of g.keys()) if (!state.has(f)) visit(f);
  return found;
};

describe('the import graph of src/', () => {
  it('finds a cycle when there is one', () => {
    const g = new Map([
      ['/a.ts', ['/b.ts']],
      ['/b.ts', ['/a.ts']],
    ]);
    expect(cycles(g)).toEqual([['/a.ts', '/b.ts']]);
  });

  it('has no cycle, between folders or inside one', () => {
    const g = graph();
    expect(g.size).toBeGreaterThan(200);
    expect(cycles(g).map((c) => c.map((f) => relative(root, f)))).toEqual([]);
  });
});
