import { HyperFormula } from 'hyperformula';
import { describe, expect, it } from 'vitest';
import { RULE_TEXT_NAMES, RULE_TEXTS } from '../../src/optimizers/index.ts';
import type { AppState } from '../../src/sheet/index.ts';
import {
  applyEdit,
  defaultState,
  isEditable,
  diagnose,
  formatState,
  InputError,
  parseState,
  userSheetDef,
  Workbook,
  workbookData,
  workbookModel,
} from '../../src/sheet/index.ts';
import { gradKey, slotKey } from '../../src/sheet/layout.ts';
import { reset, run } from '../../src/sheet/macros.ts';
import { NumberSheet } from '../../src/sheet/simulate.ts';
import { initialStatus } from '../../src/sheet/status.ts';
import { HF_CONFIG } from '../../src/sheet/workbook.ts';
import { toXlsx } from '../../src/sheet/xlsx.ts';
import { xlsxSheets } from './xlsx-sheets.ts';

/** Every library rule as a user sheet, in one workbook (built-in names are taken, hence `my_`). */
const sheetOf = (rule: string): string => `my_${rule.replaceAll('-', '_')}`;
const userSheets = RULE_TEXT_NAMES.map((r) => userSheetDef(sheetOf(r), RULE_TEXTS[r]));
const wb = new Workbook({
  data: workbookData,
  model: workbookModel,
  hypers: Object.fromEntries(userSheets.map((d) => [d.name, { lr: 1e-3 }])),
  userSheets,
});

/**
 * The workbook's own RMSProp starts its average at 0 (the built-in sheet's Reset writes 10000
 * instead) and divides by the previous row's, so as a user sheet its first row divides by zero,
 * in both engines.
 */
const DIVIDE_BY_ZERO_STATE = new Set(['rmsprop-workbook']);

describe('a user sheet from each library rule: HyperFormula = numbers, bit for bit', () => {
  it.each(RULE_TEXT_NAMES)('%s: reset, then 5 runs', (rule) => {
    const name = sheetOf(rule);
    const def = wb.def(name);
    const sim = new NumberSheet(def, wb.compiledModel, wb.dataset, initialStatus(def));
    reset(sim, wb.startLr(name));
    for (let epoch = 0; epoch <= 5; epoch++) {
      if (epoch > 0) {
        wb.run(name, 1);
        run(sim, 1);
      }
      const layout = wb.layout(name);
      const values = wb.values(name);
      let cells = 0;
      for (const [key, col] of sim.pass()) {
        const c = layout.col(key);
        col.forEach((v, i) => {
          cells++;
          const got = values[layout.firstRow + i]?.[c];
          // A number is the same double; an Excel error (#DIV/0!, #NUM!) is NaN or ±∞ there.
          const same =
            typeof got === 'number' ? Object.is(got, v) : got !== null && !Number.isFinite(v);
          expect(same, `${key}[${i}] epoch ${epoch}: ${String(got)} vs ${v}`).toBe(true);
          if (!DIVIDE_BY_ZERO_STATE.has(rule)) expect(typeof got).toBe('number');
        });
      }
      expect(cells).toBe(29 * (8 + 2 * def.rule.slots.length));
      expect(wb.engine(name).status()).toEqual(sim.status());
    }
    const last = wb.history(name).at(-1);
    expect(last?.epoch).toBe(6);
    expect(Number.isFinite(last?.rmse)).toBe(!DIVIDE_BY_ZERO_STATE.has(rule));
  });

  it("starts a slot from the rule's own state line: miniai's rmsprop has sqr = grad^2", () => {
    const name = sheetOf('rmsprop');
    wb.reset(name);
    const layout = wb.layout(name);
    const values = wb.values(name);
    for (const p of ['b', 'a'] as const) {
      const g = values[layout.firstRow]?.[layout.col(gradKey(p))];
      const sqr = values[layout.summaryRow]?.[layout.col(slotKey('sqr', p))];
      expect(typeof g).toBe('number');
      expect(sqr).toBe((g as number) ** 2);
    }
  });

  it('writes lion as live formulas, its hyperparameters as named cells', () => {
    const name = sheetOf('lion');
    const layout = wb.layout(name);
    const f = wb.formula(name, { row: layout.firstRow, col: layout.col('newb') });
    expect(f).toMatch(/lr\*SIGN\(/);
    expect(f).toContain('beta_1');
    expect(wb.def(name).hypers.map((h) => [h.key, h.name])).toEqual([
      ['lr', 'lr'],
      ['beta1', 'beta_1'],
      ['beta2', 'beta_2'],
    ]);
  });
});

describe('user sheets in the workbook', () => {
  it('an edited rule replaces its sheet, keeps typed hyperparameters it still has', () => {
    const w = new Workbook({ data: workbookData, model: workbookModel });
    w.putSheet(userSheetDef('lion', RULE_TEXTS.lion));
    w.setHyper('lion', 'lr', 0.5);
    w.setHyper('lion', 'beta1', 0.5);
    w.run('lion', 2);
    const before = w.history('lion').at(-1)?.rmse;
    w.putSheet(
      userSheetDef(
        'lion',
        RULE_TEXTS.lion
          .replace('hyper beta1', 'hyper b1')
          .replaceAll('beta1*', 'b1*')
          .replaceAll('(1-beta1)', '(1-b1)'),
      ),
    );
    expect(w.typedHypers().lion).toEqual({ lr: 0.5 });
    expect(w.runsDone('lion')).toBe(0);
    expect(w.history('lion').at(-1)?.rmse).not.toBe(before);
    expect(w.sheets()).toEqual(['basic', 'momentum', 'rmsprop', 'adam', 'adam_ann', 'lion']);
    w.removeSheet('lion');
    expect(w.allSheets()).not.toContain('lion');
  });

  it("takes the rule's hyperparameters in its yellow cells, checked as the built-ins' are", () => {
    const w = new Workbook({
      data: workbookData,
      model: workbookModel,
      userSheets: [userSheetDef('lion', RULE_TEXTS.lion)],
    });
    const j1 = { row: 0, col: 9 };
    const l1 = { row: 0, col: 11 };
    expect(isEditable(w, 'lion', j1)).toBe(true);
    expect(isEditable(w, 'lion', l1)).toBe(true);
    expect(isEditable(w, 'lion', { row: 3, col: 7 })).toBe(false);
    // m b on row 4 = beta2·0 + (1 − beta2)·(−86): −0.86 at the default 0.99
    expect(w.values('lion')[3]?.[9]).toBeCloseTo(-0.86, 12);
    expect(applyEdit(w, 'lion', l1, '0.5')).toBe('beta2 = 0.5');
    expect(w.typedHypers()).toEqual({ lion: { beta2: 0.5 } });
    expect(w.values('lion')[3]?.[9]).toBe(-43);
    expect(() => applyEdit(w, 'lion', j1, '2')).toThrow('beta1 must be in [0, 1), got 2');
    expect(() => applyEdit(w, 'lion', { row: 3, col: 7 }, '1')).toThrow(/is a formula/);
  });

  it('names the first error cell of a rule that overflows', () => {
    const w = new Workbook({
      data: workbookData,
      model: workbookModel,
      userSheets: [userSheetDef('boom', 'param = param - lr*grad*exp(800)')],
    });
    expect(diagnose(w, 'boom')).toBe(
      'boom!H4 (new b, data row 1) is #NUM!: a number past the largest double (about 1.8e308), or the root or log of a negative. Lower lr (now 0.01)',
    );
    const zero = new Workbook({
      data: workbookData,
      model: workbookModel,
      userSheets: [userSheetDef('zero', RULE_TEXTS['rmsprop-workbook'])],
    });
    expect(diagnose(zero, 'zero')).toMatch(
      /^zero!H4 \(new b, data row 1\) is #DIV\/0!: .*your rule/,
    );
  });

  it('refuses a rule that does not parse, naming the line and column', () => {
    expect(() => userSheetDef('mine', 'param = param - lr*sgn(grad)')).toThrow(InputError);
    expect(() => userSheetDef('mine', 'param = param - lr*sgn(grad)')).toThrow(
      /^mine: line 1, column \d+/,
    );
    expect(() => userSheetDef('adam', RULE_TEXTS.sgd)).toThrow(/already a sheet named adam/);
    expect(() => userSheetDef("x'!A1", RULE_TEXTS.sgd)).toThrow(/not a sheet name/);
  });
});

describe('the link of a user sheet', () => {
  const s: AppState = {
    ...defaultState,
    sheet: 'lion',
    rules: [{ name: 'lion', text: RULE_TEXTS.lion }],
    hypers: { lion: { lr: 0.1, beta1: 0.8 } },
    runs: { lion: 3 },
  };

  it('round-trips the rule text, its hyperparameters and runs, and rebuilds the same sheet', () => {
    const { state, errors } = parseState(formatState(s));
    expect(errors).toEqual([]);
    expect(state).toEqual(s);
    const build = (st: AppState): Workbook => {
      const w = new Workbook({
        data: st.data,
        model: st.model,
        hypers: st.hypers,
        userSheets: st.rules.map((r) => userSheetDef(r.name, r.text)),
      });
      w.run('lion', st.runs.lion ?? 0);
      return w;
    };
    const a = build(s);
    const b = build(state);
    expect(b.history('lion')).toEqual(a.history('lion'));
    expect(a.history('lion')).toHaveLength(4);
    expect(a.history('lion')[0]?.lr).toBe(0.1);
  });

  it('checks rule texts in a link as typed text, and says what it ignored', () => {
    const q = new URLSearchParams(formatState(s));
    q.set('rule.bad', 'param = param - lr*sgn(grad)');
    q.set('bad.lr', '0.5');
    q.set('rule.big', `# ${'x'.repeat(5000)}\nparam = param`);
    q.set('rule.adam', RULE_TEXTS.sgd);
    q.set('rule.two', RULE_TEXTS.sgd);
    q.set('rule.three', RULE_TEXTS.sgd);
    q.set('rule.four', RULE_TEXTS.sgd);
    const { state, errors } = parseState(q.toString());
    expect(state.rules.map((r) => r.name)).toEqual(['lion', 'two', 'three']);
    expect(state.hypers).toEqual(s.hypers);
    const all = errors.join('\n');
    expect(all).toMatch(/ignored rule\.bad .*line 1, column \d+ .*sgn/);
    expect(all).toMatch(/ignored rule\.big .*limit is 4000/);
    expect(all).toMatch(/ignored rule\.adam .*already a sheet named adam/);
    expect(all).toMatch(/ignored rule\.four .*at most 3/);
    expect(all).toMatch(/ignored bad\.lr=0\.5: unknown setting/);
    expect(errors).toHaveLength(5);
  });
});

describe('XLSX export with a user sheet', () => {
  it('holds the user sheet with live formulas that recompute to the same values', async () => {
    const w = new Workbook({
      data: workbookData,
      model: workbookModel,
      hypers: { lion: { lr: 0.1 } },
      userSheets: [userSheetDef('lion', RULE_TEXTS.lion)],
    });
    w.run('lion', 2);
    const read = await xlsxSheets(await toXlsx(w));
    expect([...read.keys()]).toEqual(w.allSheets());
    const sheets = Object.fromEntries(read);
    const layout = w.layout('lion');
    expect(sheets.lion?.[layout.firstRow]?.[layout.col('newb')]).toMatch(
      /^=C4-\$D\$2\*SIGN\(\$J\$1\*/,
    );
    const hf = HyperFormula.buildFromSheets(sheets, HF_CONFIG);
    const want = w.values('lion');
    const got = hf.getSheetValues(hf.getSheetId('lion') ?? -1);
    let numbers = 0;
    want.forEach((line, r) => {
      line.forEach((v, c) => {
        if (typeof v !== 'number') return;
        numbers++;
        expect(got[r]?.[c], `lion ${r},${c}`).toBe(v);
      });
    });
    expect(numbers).toBeGreaterThan(29 * 12);
  });
});

describe('an lr schedule per epoch on a user sheet', () => {
  const cosine = { text: 'lr = lr * (1 + cos(pi * pct)) / 2', epochs: 4 };

  it('gives epoch k of N the schedule at step k − 1, the same in HyperFormula and numbers', () => {
    const def = userSheetDef('lion', RULE_TEXTS.lion, cosine);
    const w = new Workbook({
      data: workbookData,
      model: workbookModel,
      hypers: { lion: { lr: 0.1 } },
      userSheets: [def],
    });
    const sim = new NumberSheet(def, w.compiledModel, w.dataset, initialStatus(def, { lr: 0.1 }));
    reset(sim, 0.1);
    w.run('lion', 5);
    run(sim, 5, 0.1);
    const lrs = w.history('lion').map((h) => h.lr);
    expect(lrs).toEqual(sim.status().history.map((h) => h.lr));
    expect(w.engine('lion').status()).toEqual(sim.status());
    // steps 0, 1, 2, 3 of 4, then the last epoch's lr stays
    expect(lrs[0]).toBe(0.1);
    expect(lrs[1]).toBeCloseTo((0.1 * (1 + Math.SQRT1_2)) / 2, 15);
    expect(lrs[2]).toBeCloseTo(0.05, 15);
    expect(lrs[3]).toBeCloseTo((0.1 * (1 - Math.SQRT1_2)) / 2, 15);
    expect(lrs[4]).toBe(lrs[3]);
    expect(lrs[5]).toBe(lrs[3]);
    // Reset starts the schedule again from the typed lr
    w.reset('lion');
    expect(w.history('lion').map((h) => h.lr)).toEqual([0.1]);
  });

  it('refuses a schedule that does not parse or has no lr line, naming the place', () => {
    expect(() =>
      userSheetDef('lion', RULE_TEXTS.lion, { text: 'lr = lr*(1+cos(pi*pcent))', epochs: 4 }),
    ).toThrow(/^lion schedule: line 1, column \d+ .*pcent/);
    expect(() => userSheetDef('lion', RULE_TEXTS.lion, { text: 'let x = 1', epochs: 4 })).toThrow(
      /needs an 'lr = …' line/,
    );
    expect(() => userSheetDef('lion', RULE_TEXTS.lion, { ...cosine, epochs: 0 })).toThrow(
      /epochs must be a whole number in 1…501, got 0/,
    );
  });

  it('travels in the link, and a broken one is ignored with a message', () => {
    const s: AppState = {
      ...defaultState,
      rules: [{ name: 'lion', text: RULE_TEXTS.lion, schedule: cosine }],
    };
    const { state, errors } = parseState(formatState(s));
    expect(errors).toEqual([]);
    expect(state).toEqual(s);
    const q = new URLSearchParams(formatState(s));
    q.set('sched.lion', '4:lr = lr*pcent');
    q.set('sched.nosuch', '4:lr = lr');
    const broken = parseState(q.toString());
    expect(broken.state.rules).toEqual([{ name: 'lion', text: RULE_TEXTS.lion }]);
    expect(broken.errors.join('\n')).toMatch(/ignored sched\.lion .*pcent/);
    expect(broken.errors.join('\n')).toMatch(/ignored sched\.nosuch .*no rule sheet 'nosuch'/);
  });
});
