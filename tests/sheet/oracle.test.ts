import { describe, expect, it } from 'vitest';
import { workbookData, workbookX } from '../../src/sheet/data.ts';
import { workbookModel } from '../../src/sheet/expression.ts';
import { Workbook } from '../../src/sheet/workbook.ts';

/**
 * An independent re-implementation of the workbook, written straight from docs/lesson.md §1.5–1.9 with
 * no shared code: the plain loops a reader can check against the spreadsheet by eye.
 */
const xs = workbookX;
const ys = xs.map((x) => 30 + x * 2);
interface State {
  mb: number;
  ma: number;
  vb: number;
  va: number;
}
interface Pass {
  lastB: number;
  lastA: number;
  state: State;
  rmse: number;
}

const pass = (
  kind: 'momentum' | 'rmsprop' | 'adam',
  b0: number,
  a0: number,
  s0: State,
  lr: number,
  beta1: number,
  beta2: number,
): Pass => {
  let b = b0;
  let a = a0;
  let s = { ...s0 };
  let lastB = b;
  let lastA = a;
  let sse = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] ?? 0;
    const y = ys[i] ?? 0;
    lastB = b;
    lastA = a;
    const pred = a * x + b;
    sse += (pred - y) ** 2;
    const gb = 2 * (pred - y);
    const ga = gb * x;
    if (kind === 'momentum') {
      s = { ...s, mb: s.mb * beta1 + (1 - beta1) * gb, ma: s.ma * beta1 + (1 - beta1) * ga };
      b = b - s.mb * lr;
      a = a - s.ma * lr;
    } else if (kind === 'rmsprop') {
      const vb = s.vb * beta2 + (1 - beta2) * gb * gb;
      const va = s.va * beta2 + (1 - beta2) * ga * ga;
      b = b - (gb * lr) / Math.sqrt(s.vb); // the previous row's average
      a = a - (ga * lr) / Math.sqrt(s.va);
      s = { ...s, vb, va };
    } else {
      s = {
        mb: s.mb * beta1 + (1 - beta1) * gb,
        ma: s.ma * beta1 + (1 - beta1) * ga,
        vb: s.vb * beta2 + (1 - beta2) * gb * gb,
        va: s.va * beta2 + (1 - beta2) * ga * ga,
      };
      b = b - (s.mb * lr) / Math.sqrt(s.vb);
      a = a - (s.ma * lr) / Math.sqrt(s.va);
    }
  }
  return { lastB, lastA, state: s, rmse: Math.sqrt(sse) };
};

const simulate = (
  kind: 'momentum' | 'rmsprop' | 'adam',
  lr0: number,
  beta1: number,
  beta2: number,
  warmups: number,
  init: State,
  anneal: boolean,
  runs: number,
) => {
  let lr = lr0;
  let s = init;
  const rmses: number[] = [];
  const lrs: number[] = [];
  const avg = (st: State) => Math.sqrt(st.vb) + Math.sqrt(st.va);
  let best = avg(s);
  for (let k = 0; k < warmups; k++) s = pass(kind, 1, 1, s, lr, beta1, beta2).state;
  best = avg(s);
  let top = { b: 1, a: 1 };
  let p = pass(kind, top.b, top.a, s, lr, beta1, beta2);
  rmses.push(p.rmse);
  lrs.push(lr);
  for (let r = 0; r < runs; r++) {
    s = p.state;
    top = { b: p.lastB, a: p.lastA };
    if (anneal) {
      if (avg(s) / best > 2) lr = lr / 4;
      if (avg(s) < best) best = avg(s);
    }
    p = pass(kind, top.b, top.a, s, lr, beta1, beta2);
    rmses.push(p.rmse);
    lrs.push(lr);
  }
  return { top, rmses, lrs };
};

const cases = [
  {
    sheet: 'momentum',
    kind: 'momentum',
    lr: 1e-4,
    b1: 0.9,
    b2: 0,
    warm: 1,
    init: { mb: 0, ma: 0, vb: 0, va: 0 },
    anneal: false,
  },
  {
    sheet: 'rmsprop',
    kind: 'rmsprop',
    lr: 0.02,
    b1: 0,
    b2: 0.9,
    warm: 2,
    init: { mb: 0, ma: 0, vb: 1e4, va: 1e4 },
    anneal: false,
  },
  {
    sheet: 'adam',
    kind: 'adam',
    lr: 1,
    b1: 0.9,
    b2: 0.9,
    warm: 2,
    init: { mb: 0, ma: 0, vb: 1e4, va: 1e4 },
    anneal: false,
  },
  {
    sheet: 'adam_ann',
    kind: 'adam',
    lr: 1,
    b1: 0.9,
    b2: 0.95,
    warm: 2,
    init: { mb: 0, ma: 0, vb: 1e4, va: 1e4 },
    anneal: true,
  },
] as const;

describe.each(cases)('$sheet against a plain re-implementation of the spec', (c) => {
  it('matches after reset and 12 run epochs', () => {
    const wb = new Workbook({ data: workbookData, model: workbookModel });
    wb.run(c.sheet, 12);
    const want = simulate(c.kind, c.lr, c.b1, c.b2, c.warm, c.init, c.anneal, 12);
    const got = wb.history(c.sheet);
    expect(got.map((h) => h.epoch)).toEqual([...Array(13).keys()].map((k) => k + 1));
    got.forEach((h, i) => {
      expect(h.rmse).toBeCloseTo(want.rmses[i] ?? NaN, 8);
      expect(h.lr).toBe(want.lrs[i]);
    });
    const last = got.at(-1);
    expect(last?.intercept).toBeCloseTo(want.top.b, 10);
    expect(last?.slope).toBeCloseTo(want.top.a, 10);
  });
});

it('adam_ann anneals: lr drops by exact factors of 4 within 40 epochs and the fit improves', () => {
  const wb = new Workbook({ data: workbookData, model: workbookModel });
  wb.run('adam_ann', 40);
  const h = wb.history('adam_ann');
  const lrs = [...new Set(h.map((r) => r.lr))];
  expect(lrs.length).toBeGreaterThan(1);
  lrs.forEach((lr, i) => {
    expect(lr).toBe(1 / 4 ** Math.round(Math.log(1 / lr) / Math.log(4)));
    if (i > 0) expect(lr).toBeLessThan(lrs[i - 1] ?? 0);
  });
  expect(h.at(-1)?.rmse).toBeLessThan(h[0]?.rmse ?? 0);
});
