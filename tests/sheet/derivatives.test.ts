import { evaluate } from 'mathjs';
import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../src/sheet/expression.ts';
import { PARAMS } from '../../src/sheet/expression.ts';
import { gradKey } from '../../src/sheet/layout.ts';
import { SHEET_NAMES } from '../../src/sheet/sheets.ts';
import { Workbook } from '../../src/sheet/workbook.ts';

/**
 * The gradient columns the sheet derives symbolically for a user's model and loss, read from the
 * live HyperFormula grid, against a central finite difference of the loss evaluated by mathjs's
 * own evaluator (not gradsheet's interpreter) at each row's x, y, a and b.
 */
const models: ModelSpec[] = [
  { model: 'a*x^2 + b', loss: '(pred - y)^2' },
  { model: 'a*sin(x) + b*x', loss: '(pred - y)^4' },
  { model: 'exp(a*x/100) + b', loss: 'log(1 + (pred - y)^2)' },
  { model: 'b/(1 + x) + tanh(a)*x', loss: 'abs(pred - y)' },
  { model: 'sqrt(a^2 + x) - cos(b)', loss: '(pred - y)^2 / 2' },
];

const H = 1e-6;

describe.each(models)('∂loss/∂a and ∂loss/∂b of $model with loss $loss', (spec) => {
  const wb = new Workbook({
    data: { kind: 'generated', seed: 11, rows: 12, intercept: 2, slope: 0.3, noise: 1 },
    model: spec,
    // A small lr keeps every sheet near its start, where these models stay finite.
    hypers: Object.fromEntries(SHEET_NAMES.map((n) => [n, { lr: 1e-12 }])),
  });
  const loss = (x: number, y: number, a: number, b: number): number => {
    const pred = evaluate(spec.model, { x, a, b }) as number;
    return evaluate(spec.loss, { pred, y }) as number;
  };
  it.each(SHEET_NAMES)('%s: every row agrees with a central difference', (name) => {
    const layout = wb.layout(name);
    const values = wb.values(name);
    const at = (i: number, key: Parameters<typeof layout.col>[0]): number => {
      const v = values[layout.firstRow + i]?.[layout.col(key)];
      if (typeof v !== 'number') throw new Error(`${name} ${key}[${i}] is ${String(v)}`);
      return v;
    };
    for (let i = 0; i < layout.n; i++) {
      const [x, y, a, b] = [at(i, 'x'), at(i, 'y'), at(i, 'a'), at(i, 'b')];
      const [ha, hb] = [H * Math.max(1, Math.abs(a)), H * Math.max(1, Math.abs(b))];
      const central = {
        a: (loss(x, y, a + ha, b) - loss(x, y, a - ha, b)) / (2 * ha),
        b: (loss(x, y, a, b + hb) - loss(x, y, a, b - hb)) / (2 * hb),
      };
      for (const p of PARAMS) {
        const got = at(i, gradKey(p));
        const want = central[p];
        expect(Math.abs(got - want), `${name} row ${i} ∂/∂${p}: ${got} vs ${want}`).toBeLessThan(
          1e-5 * Math.max(1, Math.abs(want)),
        );
      }
    }
  });
});
