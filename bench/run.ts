/**
 * `npm run bench`: how long a hyperparameter edit takes to recompute the sheet's rows.
 *
 * For each sheet, alternately set lr to two values and time HyperFormula's recalculation plus
 * reading the sheet's values back (what the grid shows). The baseline, timed in the same run,
 * is the number interpreter computing the same pass in plain TypeScript. Goals (issue #2):
 * under one frame (16 ms) for the workbook's sheets, under 100 ms with 1,000 rows.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { DataSpec, SheetName } from '../src/sheet/index.ts';
import { SHEET_NAMES, SHEETS, Workbook, workbookData, workbookModel } from '../src/sheet/index.ts';
import { simulatePass } from '../src/sheet/simulate.ts';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

const time = (f: () => void, reps: number): number => {
  for (let i = 0; i < 3; i++) f();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    ts.push(performance.now() - t0);
  }
  return median(ts);
};

interface Row {
  rows: number;
  sheet: SheetName;
  buildMs: number;
  editMs: number;
  baselineMs: number;
  ratio: number;
  goalMs: number;
  ok: boolean;
}

const results: Row[] = [];
const configs: { data: DataSpec; goal: number; reps: number }[] = [
  { data: workbookData, goal: 16, reps: 60 },
  {
    data: { kind: 'generated', seed: 1, rows: 1000, intercept: 30, slope: 2, noise: 1 },
    goal: 100,
    reps: 15,
  },
];
for (const { data, goal, reps } of configs) {
  const t0 = performance.now();
  const wb = new Workbook({ data, model: workbookModel });
  const buildMs = performance.now() - t0;
  for (const sheet of SHEET_NAMES) {
    const lr = wb.startLr(sheet);
    let flip = false;
    const editMs = time(() => {
      flip = !flip;
      wb.setHyper(sheet, 'lr', flip ? lr * 0.5 : lr);
      wb.values(sheet);
    }, reps);
    const status = wb.engine(sheet).status();
    const baselineMs = time(() => {
      simulatePass(SHEETS[sheet], wb.compiledModel, wb.dataset, status);
    }, reps);
    results.push({
      rows: wb.rows,
      sheet,
      buildMs,
      editMs,
      baselineMs,
      ratio: editMs / baselineMs,
      goalMs: goal,
      ok: editMs < goal,
    });
  }
}

const pad = (s: string, n: number) => s.padStart(n);
console.log(
  'edit lr → recomputed rows (median ms); baseline = the same pass in plain TypeScript numbers\n',
);
console.log(
  ['rows', 'sheet', 'edit ms', 'baseline ms', 'ratio', 'goal', '']
    .map((h, i) => pad(h, [5, 9, 9, 12, 7, 6, 4][i] ?? 8))
    .join(' '),
);
for (const r of results) {
  console.log(
    [
      pad(String(r.rows), 5),
      pad(r.sheet, 9),
      pad(r.editMs.toFixed(2), 9),
      pad(r.baselineMs.toFixed(3), 12),
      pad(r.ratio.toFixed(0) + 'x', 7),
      pad(`<${r.goalMs}`, 6),
      r.ok ? ' ok' : ' SLOW',
    ].join(' '),
  );
}
console.log(
  `\nbuild (all six sheets): ${results[0]?.buildMs.toFixed(0)} ms at 29 rows, ${results.at(-1)?.buildMs.toFixed(0)} ms at 1000 rows`,
);
writeFileSync(
  'bench/sheet.json',
  JSON.stringify({ node: process.version, date: new Date().toISOString(), results }, null, 2) +
    '\n',
);
console.log('wrote bench/sheet.json');
if (results.some((r) => !r.ok)) process.exitCode = 1;
