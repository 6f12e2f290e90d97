import { describe, expect, it } from 'vitest';
import type { DataSpec } from '../../src/sheet/data.ts';
import { workbookData } from '../../src/sheet/data.ts';
import type { ModelSpec } from '../../src/sheet/expression.ts';
import { compileModel, workbookModel } from '../../src/sheet/expression.ts';
import { run, reset } from '../../src/sheet/macros.ts';
import { NumberSheet } from '../../src/sheet/simulate.ts';
import { SHEET_NAMES, SHEETS } from '../../src/sheet/sheets.ts';
import { initialStatus } from '../../src/sheet/status.ts';
import { Workbook } from '../../src/sheet/workbook.ts';

/**
 * The formula interpreter (HyperFormula evaluating the generated cell text) against the
 * number interpreter (the same rule and macros on plain float64): every cell of every row
 * and every history entry must be bit-identical, not merely close.
 */
const cases: { name: string; data: DataSpec; model: ModelSpec }[] = [
  { name: 'workbook data and model', data: workbookData, model: workbookModel },
  {
    name: 'seeded noisy data, 60 rows',
    data: { kind: 'generated', seed: 7, rows: 60, intercept: -3, slope: 0.5, noise: 2 },
    model: workbookModel,
  },
  {
    name: 'another model: a*x^2 + b, absolute loss',
    data: { kind: 'generated', seed: 3, rows: 20, intercept: 1, slope: 0.01, noise: 0 },
    model: { model: 'a*x^2 + b', loss: 'abs(pred - y)' },
  },
];

describe.each(cases)('HyperFormula = numbers, bit for bit: $name', ({ data, model }) => {
  const wb = new Workbook({ data, model });
  const compiled = compileModel(model);
  it.each(SHEET_NAMES)('%s: reset, then 5 runs', (name) => {
    const def = SHEETS[name];
    const sim = new NumberSheet(def, compiled, wb.dataset, initialStatus(def));
    reset(sim, wb.startLr(name));
    for (let epoch = 0; epoch <= 5; epoch++) {
      if (epoch > 0) {
        wb.run(name, 1);
        run(sim, 1);
      }
      const layout = wb.layout(name);
      const values = wb.values(name);
      for (const [key, col] of sim.pass()) {
        const c = layout.col(key);
        col.forEach((v, i) => {
          expect(
            Object.is(values[layout.firstRow + i]?.[c], v),
            `${name} ${key}[${i}] epoch ${epoch}`,
          ).toBe(true);
        });
      }
      expect(wb.engine(name).status()).toEqual(sim.status());
    }
  });
});
