import { HyperFormula } from 'hyperformula';
import { describe, expect, it } from 'vitest';
import type { Formula, Named, UpdateRule } from '../../src/optimizers/index.ts';
import {
  adam,
  applyRule,
  formulaOps,
  momentum,
  numberOps,
  ref,
  rmsprop,
  sgd,
  toCell,
} from '../../src/optimizers/index.ts';
import { HF_CONFIG } from '../../src/sheet/workbook.ts';

const variants: { label: string; rule: UpdateRule; hyper: Record<string, number> }[] = [
  { label: 'sgd', rule: sgd(), hyper: { lr: 0.1 } },
  {
    label: 'sgd + decoupled wd',
    rule: sgd({ weightDecay: 'decoupled' }),
    hyper: { lr: 0.1, weightDecay: 0.01 },
  },
  { label: 'momentum', rule: momentum(), hyper: { lr: 0.1, beta1: 0.9 } },
  {
    label: 'momentum + L2',
    rule: momentum({ weightDecay: 'l2' }),
    hyper: { lr: 0.1, beta1: 0.9, weightDecay: 0.01 },
  },
  {
    label: 'rmsprop (workbook, started at g²)',
    rule: rmsprop({ initWithFirstGrad: true }),
    hyper: { lr: 0.01, beta2: 0.9 },
  },
  {
    label: 'rmsprop (miniai)',
    rule: rmsprop({ denominator: 'current', eps: 'outside', initWithFirstGrad: true }),
    hyper: { lr: 0.01, beta2: 0.99, eps: 1e-5 },
  },
  { label: 'adam (workbook)', rule: adam(), hyper: { lr: 0.1, beta1: 0.9, beta2: 0.9 } },
  {
    label: 'adam (miniai)',
    rule: adam({ biasCorrection: true, eps: 'inside' }),
    hyper: { lr: 0.01, beta1: 0.9, beta2: 0.99, eps: 1e-5 },
  },
  {
    label: 'adamw (pytorch)',
    rule: adam({ biasCorrection: true, eps: 'outside', weightDecay: 'decoupled' }),
    hyper: { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 },
  },
];

/** Runs 40 steps on f(p) = (p − 3)², from p = −2. */
const trajectory = (rule: UpdateRule, hyper: Record<string, number>, steps = 40) => {
  let p = -2;
  const first = { param: p, grad: 2 * (p - 3), hyper, step: 1 };
  let state = rule.initState(numberOps, first);
  const ps: number[] = [];
  for (let t = 1; t <= steps; t++) {
    const out = applyRule(numberOps, rule, { param: p, grad: 2 * (p - 3), hyper, step: t }, state);
    p = out.param;
    state = out.state;
    ps.push(p);
  }
  return ps;
};

describe.each(variants)('$label', ({ rule, hyper }) => {
  it('formula text evaluated by HyperFormula equals the number interpreter bit for bit', () => {
    // One row per step: A param, B grad, then one column per slot, then the new param.
    const hf = HyperFormula.buildEmpty(HF_CONFIG);
    const id = hf.getSheetId(hf.addSheet('t')) ?? 0;
    const names = ['lr', ...rule.hypers];
    names.forEach((k, i) => {
      hf.setCellContents({ sheet: id, row: 0, col: 10 + i }, hyper[k] ?? NaN);
      hf.addNamedExpression(`h_${k}`, `=t!$${String.fromCharCode(75 + i)}$1`);
    });
    const hyperRefs = Object.fromEntries(names.map((k) => [k, ref(`h_${k}`)]));
    const slotCol = (j: number) => String.fromCharCode(67 + j);
    let p = 0.7;
    const g0 = -1.3;
    let numState: Named<string, number> = rule.initState(numberOps, {
      param: p,
      grad: g0,
      hyper,
      step: 1,
    });
    rule.slots.forEach((s, j) =>
      hf.setCellContents({ sheet: id, row: 0, col: 2 + j }, numState[s] ?? NaN),
    );
    hf.setCellContents({ sheet: id, row: 0, col: 2 + rule.slots.length }, p);
    for (let t = 1; t <= 25; t++) {
      const g = Math.sin(t * 1.7) * 3 + p;
      const r = t + 1; // 1-based row of this step
      const prevState = Object.fromEntries(
        rule.slots.map((s, j) => [s, ref(`${slotCol(j)}${r - 1}`)]),
      );
      const input = {
        param: ref(`${slotCol(rule.slots.length)}${r - 1}`),
        grad: ref(`B${r}`),
        hyper: hyperRefs,
        step: ref(`${t}`),
      };
      const next = rule.nextState<Formula>(formulaOps, input, prevState);
      const nextRefs = Object.fromEntries(rule.slots.map((s, j) => [s, ref(`${slotCol(j)}${r}`)]));
      hf.setCellContents({ sheet: id, row: r - 1, col: 1 }, g);
      rule.slots.forEach((s, j) =>
        hf.setCellContents({ sheet: id, row: r - 1, col: 2 + j }, toCell(next[s] ?? ref('0'))),
      );
      hf.setCellContents(
        { sheet: id, row: r - 1, col: 2 + rule.slots.length },
        toCell(rule.nextParam(formulaOps, input, prevState, nextRefs)),
      );
      const out = applyRule(numberOps, rule, { param: p, grad: g, hyper, step: t }, numState);
      p = out.param;
      numState = out.state;
      expect(
        Object.is(hf.getCellValue({ sheet: id, row: r - 1, col: 2 + rule.slots.length }), p),
        `step ${t}`,
      ).toBe(true);
      rule.slots.forEach((s, j) => {
        expect(Object.is(hf.getCellValue({ sheet: id, row: r - 1, col: 2 + j }), numState[s])).toBe(
          true,
        );
      });
    }
  });

  it('converges towards the minimum of (p − 3)²', () => {
    const ps = trajectory(rule, hyper, 400);
    expect(Math.abs((ps.at(-1) ?? 0) - 3)).toBeLessThan(Math.abs(-2 - 3) / 2);
  });
});

describe('worked examples', () => {
  it('sgd: p − g·lr', () => {
    // p = −2, g = 2(−2 − 3) = −10, lr 0.1 → −2 + 1 = −1
    expect(trajectory(sgd(), { lr: 0.1 }, 1)).toEqual([-1]);
  });
  it('momentum: avg = 0.9·0 + 0.1·(−10) = −1; p = −2 − (−1)(0.1) = −1.9', () => {
    expect(trajectory(momentum(), { lr: 0.1, beta1: 0.9 }, 1)[0]).toBeCloseTo(-1.9, 15);
  });
  it('adam with bias correction: the first step is −lr·sign(g)·|g|/√(g²+ε) ≈ lr', () => {
    // avg = 0.1·g, sqr = 0.001·g²; debiased: g and g²; p = −2 − 0.01·(−10)/√(100 + 1e-5)
    const p = trajectory(
      adam({ biasCorrection: true, eps: 'inside' }),
      { lr: 0.01, beta1: 0.9, beta2: 0.99, eps: 1e-5 },
      1,
    )[0];
    expect(p).toBeCloseTo(-2 + 0.1 / Math.sqrt(100 + 1e-5), 14);
  });
  it('rmsprop (miniai) starts its average at g², so the first step is lr·g/(|g|+ε)', () => {
    const p = trajectory(
      rmsprop({ denominator: 'current', eps: 'outside', initWithFirstGrad: true }),
      { lr: 0.01, beta2: 0.99, eps: 1e-5 },
      1,
    )[0];
    expect(p).toBeCloseTo(-2 + (0.01 * 10) / (10 + 1e-5), 14);
  });
  it('decoupled weight decay shrinks the parameter before the step: p·(1 − lr·wd)', () => {
    const p = trajectory(sgd({ weightDecay: 'decoupled' }), { lr: 0.1, weightDecay: 0.5 }, 1)[0];
    expect(p).toBeCloseTo(-2 * (1 - 0.05) + 1, 15);
  });
});
