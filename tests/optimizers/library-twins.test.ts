import { describe, expect, it } from 'vitest';
import type { Formula, Named, RuleTextName, UpdateRule } from '../../src/optimizers/index.ts';
import {
  applyRule,
  formulaOps,
  libraryRule,
  momentum,
  numberOps,
  ref,
  sgd,
} from '../../src/optimizers/index.ts';
import { SHEETS } from '../../src/sheet/sheets.ts';
import { OPTIMIZERS } from '../../src/training/learner/optimizer-table.ts';

// One definition per rule: the TypeScript rules the sheets and the trainer run, each beside
// the library text that restates it. Same formula text for symbolic inputs and bit-identical
// numbers, so either can stand for the other on every sheet.
const sheetTwins: Record<keyof typeof SHEETS, RuleTextName> = {
  basic: 'sgd',
  momentum: 'momentum',
  rmsprop: 'rmsprop-workbook',
  adam: 'adam-workbook',
  adam_ann: 'adam-workbook',
};
const trainerTwins: Record<keyof typeof OPTIMIZERS, RuleTextName> = {
  sgd: 'sgd',
  momentum: 'momentum',
  rmsprop: 'rmsprop',
  adam: 'adam',
  adamw: 'adamw',
};
const twins: { label: string; ts: UpdateRule; text: RuleTextName }[] = [
  ...Object.entries(sheetTwins).map(([sheet, text]) => ({
    label: `sheet ${sheet}`,
    ts: SHEETS[sheet as keyof typeof SHEETS].rule,
    text,
  })),
  ...Object.entries(trainerTwins).map(([name, text]) => ({
    label: `trainer ${name}`,
    ts: OPTIMIZERS[name as keyof typeof OPTIMIZERS].rule,
    text,
  })),
  { label: 'sgd + decoupled wd', ts: sgd({ weightDecay: 'decoupled' }), text: 'sgd-wd' },
  { label: 'momentum + L2', ts: momentum({ weightDecay: 'l2' }), text: 'momentum-l2' },
];

const symbolic = (rule: UpdateRule) => {
  const input = {
    param: ref('P'),
    grad: ref('G'),
    hyper: Object.fromEntries(['lr', ...rule.hypers].map((h) => [h, ref(`h_${h}`)])),
    step: ref('T'),
  };
  const state = Object.fromEntries(rule.slots.map((s) => [s, ref(`old_${s}`)]));
  const next = Object.fromEntries(rule.slots.map((s) => [s, ref(`new_${s}`)]));
  const text = (x: Named<string, Formula>) =>
    Object.fromEntries(Object.entries(x).map(([k, f]) => [k, f.text]));
  return {
    init: text(rule.initState(formulaOps, input)),
    next: text(rule.nextState(formulaOps, input, state)),
    param: rule.nextParam(formulaOps, input, state, next).text,
  };
};

describe.each(twins)('$label = library text $text', ({ ts, text }) => {
  const fromText = libraryRule(text).rule;
  it('has the same slots and hyperparameters, in the same order', () => {
    expect([fromText.slots, fromText.hypers]).toEqual([ts.slots, ts.hypers]);
  });
  it('writes the same formula text for every cell', () => {
    expect(symbolic(fromText)).toEqual(symbolic(ts));
  });
  it('gives bit-identical numbers over 60 steps', () => {
    const hyper = { lr: 0.03, beta1: 0.9, beta2: 0.95, eps: 1e-5, weightDecay: 0.02 };
    let [a, b] = [0.8, 0.8];
    const first = { param: a, grad: 1.1, hyper, step: 1 };
    let sa = ts.initState(numberOps, first);
    let sb = fromText.initState(numberOps, first);
    for (let t = 1; t <= 60; t++) {
      const g = Math.sin(2.3 * t) + a;
      const x = applyRule(numberOps, ts, { param: a, grad: g, hyper, step: t }, sa);
      const y = applyRule(numberOps, fromText, { param: b, grad: g, hyper, step: t }, sb);
      [a, sa, b, sb] = [x.param, x.state, y.param, y.state];
      expect(Object.is(a, b), `step ${t}: ${a} vs ${b}`).toBe(true);
      for (const s of ts.slots) expect(Object.is(sa[s], sb[s])).toBe(true);
    }
  });
});

it('the library defaults are the trainer table defaults', () => {
  for (const [name, text] of Object.entries(trainerTwins)) {
    expect(libraryRule(text).defaults, name).toEqual(
      OPTIMIZERS[name as keyof typeof OPTIMIZERS].defaults,
    );
  }
});
