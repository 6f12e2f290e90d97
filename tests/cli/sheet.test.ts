import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_TEXTS } from '../../src/optimizers/index.ts';
import {
  MAX_ROWS,
  passTable,
  userSheetDef,
  Workbook,
  workbookData,
  workbookModel,
} from '../../src/sheet/index.ts';
import { toCsv } from '../../src/core/index.ts';
import { cli } from './run-cli.ts';

describe('gradsheet sheet --rule', () => {
  it('runs a library rule as a user sheet, with the numbers of the workbook', async () => {
    const { code, stdout } = await cli(
      'sheet',
      '--rule',
      'lion',
      '--lr',
      '0.1',
      '--beta1',
      '0.8',
      '--epochs',
      '3',
      '--json',
    );
    expect(code).toBe(0);
    const wb = new Workbook({
      data: workbookData,
      model: workbookModel,
      hypers: { lion: { lr: 0.1, beta1: 0.8 } },
      userSheets: [userSheetDef('lion', RULE_TEXTS.lion)],
    });
    wb.run('lion', 3);
    expect(JSON.parse(stdout)).toEqual(wb.history('lion'));
  });

  it('reads a rule from a file, and names the line and column of a broken one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradsheet-rule-'));
    const good = join(dir, 'sgd.rule');
    writeFileSync(good, RULE_TEXTS['sgd-wd']);
    const ok = await cli('sheet', '--rule', good, '--wd', '0.5', '--epochs', '0');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^sgd_wd \(your rule\) — 29 rows/);
    // weight decay is --wd, as in train; the same rule typed as text gives the same rows
    const text = await cli('sheet', '--rule', RULE_TEXTS['sgd-wd'], '--wd', '0.5', '--epochs', '0');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe(ok.stdout);
    const old = await cli('sheet', '--rule', good, '--weightDecay', '0.5');
    expect(old.stderr).toMatch(/unknown flag --weightDecay/);
    const bad = join(dir, 'bad.rule');
    writeFileSync(bad, 'name x\nparam = param - lr*sgn(grad)\n');
    const r = await cli('sheet', '--rule', bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `gradsheet: --rule ${bad}: x: line 2, column 20 (param): unknown function 'sgn'; the functions are sqrt, exp, log, abs, sin, cos, tanh, sign, max\n`,
    );
    const none = await cli('sheet', '--rule', join(dir, 'missing.rule'));
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(
      /is neither one of sgd, .* nor a readable file \(ENOENT\), nor formula text/,
    );
  });
});

describe('gradsheet sheet', () => {
  it('--json: one object per pass, pass 1 right after Reset, the workbook figures', async () => {
    const { code, stdout } = await cli('sheet', 'basic', '--epochs', '2', '--json');
    expect(code).toBe(0);
    const passes = JSON.parse(stdout) as {
      epoch: number;
      intercept: number;
      slope: number;
      rmse: number;
      lr: number;
    }[];
    expect(passes.map((p) => p.epoch)).toEqual([1, 2, 3]);
    expect(passes[0]).toMatchObject({ intercept: 1, slope: 1, lr: 1e-4 });
    expect(passes[0]?.rmse).toBeCloseTo(150.755, 3);
    expect(passes[1]?.intercept).toBeCloseTo(1.0666, 4);
    expect(passes[1]?.slope).toBeCloseTo(2.5741, 4);
    expect(Object.keys(passes[0] ?? {})).toEqual(['epoch', 'intercept', 'slope', 'rmse', 'lr']);
  });

  it('prints the same numbers as the workbook model (same history as the web app)', async () => {
    const { stdout } = await cli('sheet', 'adam', '--lr', '0.1', '--beta2', '0.95', '--json');
    const wb = new Workbook({
      data: workbookData,
      model: workbookModel,
      hypers: { adam: { lr: 0.1, beta2: 0.95 } },
    });
    wb.run('adam', 5);
    expect(JSON.parse(stdout)).toEqual(
      wb
        .history('adam')
        .map(({ epoch, intercept, slope, rmse, lr }) => ({ epoch, intercept, slope, rmse, lr })),
    );
  });

  it('--csv writes the last pass, columns as in the grid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gs-'));
    const file = join(dir, 'm.csv');
    const { code } = await cli('sheet', 'momentum', '--epochs', '1', '--csv', file);
    expect(code).toBe(0);
    const wb = new Workbook({ data: workbookData, model: workbookModel });
    wb.run('momentum', 1);
    const text = readFileSync(file, 'utf8');
    expect(text).toBe(toCsv(passTable(wb, 'momentum')));
    expect(text.split('\r\n')[0]).toBe(
      'x,y,intercept b,slope a,y_pred,de/db,de/da,new b,new a,avg b,avg a,err^2',
    );
    expect(text.trim().split('\r\n')).toHaveLength(30);
  });

  it('refuses more rows than a sheet (and a link) holds, and values too large to square', async () => {
    const rows = await cli('sheet', 'basic', '--rows', String(MAX_ROWS + 1));
    expect(rows.code).toBe(2);
    expect(rows.stderr).toContain(`--rows must be a whole number in 2…${MAX_ROWS}`);
    const slope = await cli('sheet', 'basic', '--slope', '1e308');
    expect(slope.code).toBe(2);
    expect(slope.stderr).toContain('the true slope 1e+308 is too large');
  });

  it('names a diverging fit and what to try under the table', async () => {
    const { code, stdout } = await cli('sheet', 'basic', '--model', 'a*x^2 + b', '--epochs', '1');
    expect(code).toBe(0);
    expect(stdout).toMatch(/\nwarning: basic: the fit diverges: .* Lower lr \(now 0\.0001\)\n?$/);
    // with --json, stdout stays JSON and the warning goes to stderr
    const json = await cli('sheet', 'basic', '--model', 'a*x^2 + b', '--epochs', '1', '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toHaveLength(2);
    expect(json.stderr).toMatch(/^gradsheet: warning: basic: the fit diverges: .* Lower lr/);
  });

  it('reads --data from a CSV and refuses a malformed one with the line number', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gs-'));
    writeFileSync(join(dir, 'ok.csv'), 'x,y\n1,5\n2,7\n3,9\n');
    writeFileSync(join(dir, 'bad.csv'), 'x,y\n1,5\n2,seven\n');
    const ok = await cli(
      'sheet',
      'basic',
      '--epochs',
      '0',
      '--data',
      join(dir, 'ok.csv'),
      '--json',
    );
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toHaveLength(1);
    const bad = await cli('sheet', 'basic', '--data', join(dir, 'bad.csv'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("line 3: 'seven' is not a number");
  });

  it.each([
    [['sheet', 'nope'], /no sheet 'nope'; use one of basic, momentum, rmsprop, adam, adam_ann/],
    [['sheet', 'moment'], /no sheet 'moment' \(did you mean momentum\?\)/],
    [['sheet', 'lion'], /'lion' is a library rule: gradsheet sheet --rule lion/],
    [['train', '--epoch', '3'], /unknown flag --epoch \(did you mean --epochs\?\)/],
    [['train', '--rule', 'lino'], /--rule 'lino' \(did you mean lion\?\)/],
    [['trian'], /unknown command 'trian' \(did you mean train\?\)/],
    [
      ['train', '--rule', 'lion', '--rho', '0.3'],
      /unknown flag --rho; if 'rho' is your rule's own hyperparameter, training sets it in the rule's text \(hyper rho = …\)/,
    ],
    [['sheet', 'basic', '--beta1', '0.9'], /unknown flag --beta1\. Accepted: --lr X/],
    [['sheet', 'momentum', '--lr', '-1'], /learning rate must be greater than 0/],
    [['sheet', 'adam', '--beta2', '1'], /beta2 must be in \[0, 1\)/],
    [['sheet', 'adam', '--lr', 'abc'], /not one/],
    [['sheet', 'basic', '--epochs', '2.5'], /--epochs must be a whole number/],
    [['sheet', 'basic', '--model', 'a*z'], /model uses 'z'/],
    [['sheet', 'basic', '--rows', '1'], /--rows must be a whole number in 2…1000, got 1/],
    [['sheet', 'basic', '--noise', '-2'], /--noise must be 0 or more, got -2/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['sheet', 'basic', '--csv='], /--csv needs a value \(FILE\)/],
  ])('exits 2 with a message for %j', async (args, message) => {
    const { code, stderr } = await cli(...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});

describe('gradsheet COMMAND --help', () => {
  it.each([
    ['sheet', /^gradsheet sheet NAME/, /gradsheet train/],
    ['train', /^gradsheet train \[flags\]/, /gradsheet sheet/],
    ['summary', /^gradsheet summary \[flags\][^]*--json: print JSON/, /gradsheet train/],
    [
      'lr-find',
      /^gradsheet lr-find \[flags\][^]*--start-lr X: first lr \(default 1e-5\)/,
      /--epochs/,
    ],
    ['eval', /^gradsheet eval DIR \[--tta\] \[--tta-views N\]/, /gradsheet sheet/],
  ])('%s --help prints that command’s usage only', async (command, own, other) => {
    const { code, stdout } = await cli(command, '--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(own);
    expect(stdout).not.toMatch(other);
  });
});

describe('gradsheet train, lr-find, summary', () => {
  it('summary --json has the totals and per-module rows', async () => {
    const { code, stdout } = await cli('summary', '--model', 'resnet-stem', '--json');
    expect(code).toBe(0);
    const s = JSON.parse(stdout) as { params: number; mflops: number; rows: { module: string }[] };
    expect(s.params).toBe(1224948);
    expect(s.mflops).toBeCloseTo(13.3, 1);
    expect(s.rows[0]?.module).toBe('conv(1, 16, ks=5, stride=1)');
  });

  it.each([
    [['train', '--model', 'vgg'], /--model 'vgg' is not one of cnn, deep-cnn/],
    [['train', '--bs', '0'], /--bs must be a whole number ≥ 1/],
    [['train', '--lr', '-1'], /--lr must be greater than 0/],
    [['train', '--epochs', 'ten'], /--epochs must be a number/],
    [['train', '--aug', 'crop,zoom'], /--aug 'zoom' is not one of crop, flip, erase, copy/],
    [['train', '--opt', 'lion'], /--opt 'lion' is not one of sgd, momentum, rmsprop, adam, adamw/],
    [['train', '--resume'], /--resume needs the --out DIR/],
    [
      ['train', '--resume', '--out', 'x', '--epochs', '9'],
      /--resume: x holds no run to continue \(it has no config.json\)/,
    ],
    [['train', '--frobnicate'], /unknown flag --frobnicate/],
    [['train', '--rule', 'lion', '--opt', 'adam'], /--rule and --opt both choose the update rule/],
    [
      ['train', '--sched', 'cosine', '--sched-formula', 'cosine'],
      /--sched-formula and --sched both choose the schedule: give one/,
    ],
    [['lr-find', '--rule', 'lion', '--opt', 'sgd'], /--rule and --opt both choose/],
    [['train', '--data', '/nonexistent'], /cannot read \(ENOENT\)/],
    [['summary', '--model', 'x'], /not one of/],
    [['lr-find', '--start-lr', '0'], /--start-lr must be a number greater than 0/],
  ])('exits 2 with a message for %j', async (args, message) => {
    const { code, stderr } = await cli(...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
