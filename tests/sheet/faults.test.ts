import { describe, expect, it } from 'vitest';
import {
  applyEdits,
  checkRuns,
  diagnose,
  drain,
  formatState,
  MAX_ROWS,
  parseState,
  parseXY,
  passTable,
  runLimit,
  SHEET_NAMES,
  Workbook,
  workbookData,
  workbookModel,
} from '../../src/sheet/index.ts';
import type { AppState } from '../../src/sheet/index.ts';

const fresh = () => new Workbook({ data: workbookData, model: workbookModel });
const lines = (n: number, cols = 2) =>
  Array.from({ length: n }, (_, i) => Array.from({ length: cols }, (_, c) => i + c).join(',')).join(
    '\n',
  );

describe('limits: whatever is accepted fits in a link', () => {
  it(`a paste of ${MAX_ROWS} rows is taken; one more is refused as a whole with the limit`, () => {
    expect(parseXY(`x,y\n${lines(MAX_ROWS)}`).x).toHaveLength(MAX_ROWS);
    expect(() => parseXY(lines(MAX_ROWS + 1))).toThrow(
      `${MAX_ROWS + 1} x,y rows: at most ${MAX_ROWS} fit in a sheet (and in its link); nothing was changed`,
    );
  });

  it('a paste with a third column is refused, naming the line', () => {
    expect(() => parseXY('1,2,3\n4,5,6')).toThrow(
      "line 1: expected two numbers (x, y), found 3 field(s): '1,2,3'",
    );
  });

  it('a huge value in a paste, or a link with too many rows or a huge slope, is refused', () => {
    expect(() => parseXY('1,2\n3,1e200')).toThrow('line 2: y 1e+200 is too large');
    expect(parseState(`data=gen:1,${MAX_ROWS + 1},30,2,0`).errors).toEqual([
      `link: ignored data=gen:1,${MAX_ROWS + 1},30,2,0: rows must be a whole number in 2…${MAX_ROWS}, got ${MAX_ROWS + 1}`,
    ]);
    expect(parseState('data=gen:1,29,30,1e308,0').errors[0]).toContain(
      'the true slope 1e+308 is too large',
    );
  });

  it('runs per sheet shrink with the rows, and a link asking for more is cut with a message', () => {
    expect(runLimit(29)).toBe(500);
    expect(runLimit(MAX_ROWS)).toBe(100);
    const { state, errors } = parseState('basic.runs=700&adam.runs=3');
    expect(state.runs).toEqual({ basic: 500, adam: 3 });
    expect(errors).toEqual([
      'link: basic.runs=700 cut to 500: a sheet with 29 rows holds at most 500 run epochs',
    ]);
  });

  it('Run and new data are refused up front when the runs would not fit', () => {
    expect(() => {
      checkRuns({ basic: 100 }, MAX_ROWS, { sheet: 'basic', epochs: 5 });
    }).toThrow(`basic has run 100 epochs; with ${MAX_ROWS} rows a sheet holds at most 100`);
    expect(() => {
      checkRuns({}, 29, { sheet: 'adam', epochs: 5 });
    }).not.toThrow();
    expect(() => {
      checkRuns({ momentum: 200 }, MAX_ROWS);
    }).toThrow('Reset momentum first');
  });

  it('a huge typed value is refused and changes nothing', () => {
    const wb = fresh();
    const before = wb.values('basic');
    const out = applyEdits(wb, 'basic', [{ cell: { row: 0, col: 5 }, text: '1e308' }]);
    expect(out.refused.map((r) => r.message)).toEqual([
      'the learning rate 1e+308 is too large: the sheet squares it, so it must lie within ±1e+150',
    ]);
    expect(wb.values('basic')).toEqual(before);
  });
});

describe('pasting into the grid', () => {
  it('writes every x/y in one data update and names each cell it refuses', () => {
    const wb = fresh();
    const edits = [3, 4].flatMap((row, i) => [
      { cell: { row, col: 0 }, text: String(5 + i) },
      { cell: { row, col: 1 }, text: String(40 + i) },
      { cell: { row, col: 2 }, text: '9' },
    ]);
    const out = applyEdits(wb, 'basic', edits);
    expect(out.notes).toEqual([
      '4 x/y values set; the data are now your own (y no longer follows the line)',
    ]);
    expect(out.refused.map((r) => r.cell)).toEqual([
      { row: 3, col: 2 },
      { row: 4, col: 2 },
    ]);
    expect(wb.dataset.x.slice(0, 2)).toEqual([5, 6]);
    expect(wb.dataset.y?.slice(0, 2)).toEqual([40, 41]);
  });
});

describe('diagnose: what went wrong and what to try', () => {
  it('finds nothing on the workbook, after Run on every sheet', () => {
    const wb = fresh();
    for (const s of SHEET_NAMES) {
      wb.run(s, 5);
      expect(diagnose(wb, s)).toBeNull();
    }
    expect(diagnose(wb, 'data')).toBeNull();
  });

  it('names an overflow with the lr to lower', () => {
    const wb = fresh();
    wb.setHyper('basic', 'lr', 1e100);
    expect(diagnose(wb, 'basic')).toBe(
      'basic!F6 (err^2, data row 3) is #NUM!: a number past the largest double (about 1.8e308), or the root or log of a negative. Lower lr (now 1e+100)',
    );
  });

  it('names a division by zero and where it happens', () => {
    const wb = fresh();
    wb.setModel({ model: 'a/(x - 28) + b', loss: workbookModel.loss }); // x = 28 on row 3
    expect(diagnose(wb, 'adam')).toBe(
      'adam!E6 (y_pred, data row 3) is #DIV/0!: a division by zero: the model or loss divides by something that is 0 here. Change the model or loss, or the data',
    );
  });

  it("flags the README's a*x^2 + b diverging at the default lr, along the pass and over epochs", () => {
    const wb = fresh();
    wb.setModel({ model: 'a*x^2 + b', loss: workbookModel.loss });
    expect(diagnose(wb, 'basic')).toMatch(
      /^basic: the fit diverges: the squared error grows from \S+ to \S+e\+\d+ along the pass\. Lower lr \(now 0\.0001\)$/,
    );
    wb.setModel(workbookModel);
    wb.setHyper('basic', 'lr', 0.0005);
    wb.reset('basic');
    expect(diagnose(wb, 'basic')).toBeNull();
    wb.run('basic', 5);
    expect(diagnose(wb, 'basic')).toMatch(
      /^basic: the fit diverges: rmse grows from \S+ to \S+ over the run epochs\. Lower lr \(now 0\.0005\)$/,
    );
  });
});

describe('clean CSV table and stepped work', () => {
  it('the data sheet exports x and y only; an optimizer sheet its pass, errors as codes', () => {
    const wb = fresh();
    const data = passTable(wb, 'data');
    expect(data[0]).toEqual(['x', 'y']);
    expect(data[1]).toEqual([14, 58]);
    expect(data).toHaveLength(30);
    wb.setModel({ model: 'a/(x - 14) + b', loss: workbookModel.loss });
    expect(passTable(wb, 'basic')[1]?.[4]).toBe('#DIV/0!');
  });

  it('a link built step by step equals the one built at once', () => {
    const s: AppState = {
      ...parseState('').state,
      data: { kind: 'generated', seed: 3, rows: 40, intercept: 5, slope: -1, noise: 1 },
      hypers: { adam: { lr: 0.5 } },
    };
    const steps = Workbook.build({ data: s.data, model: s.model, hypers: s.hypers });
    let count = 0;
    let r = steps.next();
    while (!r.done) {
      count++;
      r = steps.next();
    }
    const stepped = r.value;
    const once = new Workbook({ data: s.data, model: s.model, hypers: s.hypers });
    expect(count).toBe(10); // 29 rows: one step builds a sheet, one resets it
    for (const sheet of SHEET_NAMES) expect(stepped.values(sheet)).toEqual(once.values(sheet));
    drain(stepped.runSteps('adam', 3));
    once.run('adam', 3);
    expect(stepped.history('adam')).toEqual(once.history('adam'));
    expect(formatState({ ...s, runs: { adam: 3 } })).toContain('adam.runs=3');
  });
});
