import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_TEXTS, SCHEDULE_TEXTS } from '../../src/optimizers/index.ts';
import { cli } from './run-cli.ts';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'gs-rules-'));
const small = ['--model', 'cnn', '--subset', '512', '--bs', '128', '--epochs', '1'];
const lrColumn = (out: string): number[] => {
  const [head = '', ...rows] = readFileSync(join(out, 'recorder.csv'), 'utf8')
    .trim()
    .split(/\r?\n/);
  const col = head.split(',').indexOf('lr');
  return rows.map((r) => Number(r.split(',')[col]));
};

describe('gradsheet train with your own rule and schedule formulas', () => {
  it('--rule lion trains, and run.json records the rule’s full text', async () => {
    const out = join(tmp(), 'run');
    const r = await cli('train', ...small, '--rule', 'lion', '--lr', '1e-3', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('rule lion lr 0.001');
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as {
      config: { rule: string; hyper: Record<string, number> };
    };
    expect(run.config.rule).toBe(RULE_TEXTS.lion);
    expect(run.config.hyper).toEqual({ beta1: 0.9, beta2: 0.99 });
  }, 120_000);

  it('lr-find takes a rule: the same first loss as adamw (same init and batch), then its own', async () => {
    const find = ['lr-find', '--model', 'cnn', '--subset', '1024', '--bs', '64'];
    const curve = (stdout: string): number[][] =>
      stdout
        .split('\n')
        .filter((l) => /^\s*\d+\s/.test(l))
        .map((l) => l.trim().split(/\s+/).map(Number));
    const lion = await cli(...find, '--rule', 'lion', '--beta1', '0.8');
    const adamw = await cli(...find, '--opt', 'adamw');
    expect(lion.code, lion.stderr).toBe(0);
    expect(lion.stdout).toMatch(/suggested lr: \d/);
    expect(lion.stdout.split('\n')[0]).toMatch(
      /^lr_find: cnn · rule lion · bs 64 · 1,024 training images · wasm/,
    );
    const [l, a] = [curve(lion.stdout), curve(adamw.stdout)];
    expect(l[0]?.[2]).toBe(a[0]?.[2]);
    expect(l[5]?.[1]).toBe(a[5]?.[1]);
    expect(l[5]?.[2]).not.toBe(a[5]?.[2]);
  }, 120_000);

  it('the homework’s cosine formula, from a file, gives the lr column of --sched cosine (1e-12)', async () => {
    const dir = tmp();
    const file = join(dir, 'cosine.txt');
    writeFileSync(file, SCHEDULE_TEXTS.cosine);
    const [built, typed] = await Promise.all([
      cli('train', ...small, '--sched', 'cosine', '--out', join(dir, 'built')),
      cli('train', ...small, '--sched-formula', file, '--out', join(dir, 'typed')),
    ]);
    expect(built.code, built.stderr).toBe(0);
    expect(typed.code, typed.stderr).toBe(0);
    const a = lrColumn(join(dir, 'built'));
    const b = lrColumn(join(dir, 'typed'));
    expect(a).toHaveLength(4);
    expect(a[0]).toBe(0.01);
    expect(b).toHaveLength(a.length);
    for (const [i, v] of a.entries()) expect(Math.abs((b[i] ?? NaN) - v)).toBeLessThan(1e-12);
    const config = (
      JSON.parse(readFileSync(join(dir, 'typed', 'run.json'), 'utf8')) as {
        config: { schedFormula: string };
      }
    ).config;
    expect(config.schedFormula).toBe(SCHEDULE_TEXTS.cosine);
  }, 240_000);

  it.each([
    [
      ['--rule', 'param = param - lr*q'],
      "--rule: line 1, column 20 (param): unknown name 'q'; here you may use param, grad, lr, step, pi, e",
    ],
    [['--rule', 'nope'], "--rule 'nope' is neither one of sgd, sgd-wd"],
    [['--rule', 'lion', '--eps', '1e-8'], "--eps: the rule 'lion' has no eps"],
    [
      ['--sched-formula', 'lr = lr*pcx'],
      "--sched-formula: line 1, column 9 (lr's schedule): unknown name 'pcx'",
    ],
    [
      ['--opt', 'sgd', '--sched-formula', 'beta1 = 0.9'],
      "--sched-formula: line 1, column 1 (beta1's schedule): 'beta1' cannot be scheduled; schedule lr",
    ],
    [['--sched-every', 'hour'], "--sched-every 'hour' is not one of batch, epoch"],
  ])('refuses %j in one line, exit 2', async (args, message) => {
    const r = await cli('train', ...args);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(message);
  });
});
