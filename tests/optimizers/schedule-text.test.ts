import { HyperFormula } from 'hyperformula';
import { describe, expect, it } from 'vitest';
import type { ScheduleSet } from '../../src/optimizers/index.ts';
import {
  cosineAnnealing,
  evaluateSchedules,
  formulaOps,
  numberOps,
  oneCycle,
  parseSchedules,
  ref,
  SCHEDULE_TEXTS,
  schedulesToText,
  toCell,
  toSchedule,
} from '../../src/optimizers/index.ts';
import { HF_CONFIG } from '../../src/sheet/workbook.ts';

const parsed = (text: string, targets?: readonly string[]): ScheduleSet => {
  const { schedules, errors } = parseSchedules(text, targets);
  expect(errors.map((e) => e.message)).toEqual([]);
  if (!schedules) throw new Error('no schedules');
  return schedules;
};

describe('the homework typed as formulas equals the built-in schedules to 1e-12 at every step', () => {
  it.each([
    [100, 0.006],
    [1180, 1e-2],
    [7, 3],
  ])('cosine over %i steps from lr %f = cosineAnnealing', (total, lr) => {
    const typed = toSchedule(parsed(SCHEDULE_TEXTS.cosine), 'lr', { total, lr });
    const builtIn = cosineAnnealing({ baseLr: lr, tMax: total });
    for (let step = 0; step <= total; step++) {
      expect(Math.abs(typed(step) - builtIn(step)), `step ${step}`).toBeLessThan(1e-12);
    }
  });

  it.each([
    [1180, 1e-2],
    [97, 0.3],
    [10, 1],
  ])('1cycle over %i steps to max lr %f = oneCycle, lr and beta1', (total, lr) => {
    const set = parsed(SCHEDULE_TEXTS['one-cycle'], ['lr', 'beta1']);
    const builtIn = oneCycle({ maxLr: lr, totalSteps: total });
    const typedLr = toSchedule(set, 'lr', { total, lr });
    const typedBeta = toSchedule(set, 'beta1', { total, lr });
    for (let step = 0; step < total; step++) {
      expect(Math.abs(typedLr(step) - builtIn.lr(step)), `lr at ${step}`).toBeLessThan(1e-12);
      expect(Math.abs(typedBeta(step) - builtIn.beta1(step)), `beta1 at ${step}`).toBeLessThan(
        1e-12,
      );
    }
  });
});

it('schedule formula text evaluated by HyperFormula equals the numbers bit for bit', () => {
  const set = parsed(SCHEDULE_TEXTS['one-cycle'], ['lr', 'beta1']);
  const hf = HyperFormula.buildEmpty(HF_CONFIG);
  const id = hf.getSheetId(hf.addSheet('s')) ?? 0;
  const total = 50;
  const lr = 0.01;
  for (let step = 0; step < total; step++) {
    // A step, total, lr; D the lr formula, E the beta1 formula
    const r = step + 1;
    hf.setCellContents({ sheet: id, row: step, col: 0 }, step);
    hf.setCellContents({ sheet: id, row: step, col: 1 }, total);
    hf.setCellContents({ sheet: id, row: step, col: 2 }, lr);
    const input = {
      pct: ref(`(A${r}/B${r})`),
      step: ref(`A${r}`),
      total: ref(`B${r}`),
      lr: ref(`C${r}`),
    };
    const f = evaluateSchedules(formulaOps, set, input);
    hf.setCellContents({ sheet: id, row: step, col: 3 }, toCell(f.lr ?? ref('NA()')));
    hf.setCellContents({ sheet: id, row: step, col: 4 }, toCell(f.beta1 ?? ref('NA()')));
    const n = evaluateSchedules(numberOps, set, { pct: step / total, step, total, lr });
    expect(Object.is(hf.getCellValue({ sheet: id, row: step, col: 3 }), n.lr), `lr ${step}`).toBe(
      true,
    );
    expect(Object.is(hf.getCellValue({ sheet: id, row: step, col: 4 }), n.beta1)).toBe(true);
  }
});

it('schedulesToText round-trips', () => {
  const set = parsed(SCHEDULE_TEXTS['one-cycle'], ['lr', 'beta1']);
  const again = parsed(schedulesToText(set), ['lr', 'beta1']);
  expect(schedulesToText(again)).toBe(schedulesToText(set));
  expect(again.targets).toEqual(['lr', 'beta1']);
});

describe('schedule refusals', () => {
  it.each([
    [
      'a target not offered',
      'momentum = 0.9',
      ['lr'],
      /line 1, column 1 \(momentum's schedule\): 'momentum' cannot be scheduled; schedule lr/,
    ],
    [
      'an unknown name',
      'lr = lr * decay',
      ['lr'],
      /column 11 .*unknown name 'decay'; here you may use pct, step, total, lr/,
    ],
    ['a rule input', 'lr = param', ['lr'], /unknown name 'param'/],
    ['the same target twice', 'lr = lr\nlr = 2*lr', ['lr'], /line 2, .*'lr' is scheduled twice/],
    ['a let used above it', 'lr = lr*k\nlet k = 2', ['lr'], /unknown name 'k'/],
    ['a let named like an input', 'let pct = 1\nlr = lr', ['lr'], /'pct' is a built-in name/],
    ['code', 'lr = import(fs)', ['lr'], /column 6 .*unknown function 'import'/],
    ['a string', 'lr = "fs"', ['lr'], /column 6 .*strings are not allowed/],
    ['a line of another shape', 'lr := 1', ['lr'], /expected 'lr = formula'/],
  ])('%s', (_what, text, targets, pattern) => {
    const { schedules, errors } = parseSchedules(text, targets);
    expect(schedules).toBeUndefined();
    expect(errors[0]?.message).toMatch(pattern);
  });
  it('toSchedule refuses a target the text does not schedule', () => {
    expect(() => toSchedule(parsed('lr = lr'), 'beta1', { total: 10, lr: 1 })).toThrow(
      /no schedule/,
    );
  });
});
