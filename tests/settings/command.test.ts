import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFlags } from '../../src/cli/args.ts';
import { configFrom, trainFlags } from '../../src/cli/train-flags.ts';
import { RULE_TEXTS, SCHEDULE_TEXTS } from '../../src/optimizers/index.ts';
import { configArgs, trainCommand } from '../../src/settings/command.ts';

/** What the CLI builds from these arguments. */
const fromArgs = (argv: string[]) => configFrom(parseFlags(argv, trainFlags, 'train').values);

/** The words `sh` reads from a command line. */
const shellWords = (line: string): string[] =>
  execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' })
    .split('\0')
    .slice(0, -1);

describe('configArgs: a run config back to the flags that give it', () => {
  const recipes: Record<string, string[]> = {
    defaults: [],
    'the 20-epoch recipe': [
      '--model',
      'resnet-wide',
      '--epochs',
      '20',
      '--aug',
      'crop,flip',
      '--tta',
    ],
    'additions and hyperparameters': [
      '--label-smoothing',
      '0.1',
      '--ema',
      '0.99',
      '--workers',
      '1',
      '--beta1',
      '0.8',
      '--subset',
      '2048',
    ],
    'a rule and a schedule as formulas': [
      '--rule',
      RULE_TEXTS.lion,
      '--lr',
      '3e-4',
      '--sched-formula',
      Object.values(SCHEDULE_TEXTS)[0] ?? '',
    ],
  };
  for (const [name, argv] of Object.entries(recipes))
    it(`gives back the config: ${name}`, () => {
      const config = fromArgs(argv);
      expect(fromArgs(configArgs(config))).toEqual(config);
    });

  it('leaves out the built-in a formula replaces (the CLI refuses the two together)', () => {
    const args = configArgs(
      fromArgs(['--rule', 'lion', '--sched-formula', Object.keys(SCHEDULE_TEXTS)[0] ?? '']),
    );
    expect(args).toContain('--rule');
    expect(args).toContain('--sched-formula');
    expect(args).not.toContain('--opt');
    expect(args).not.toContain('--sched');
    expect(configArgs(fromArgs([]))).toEqual(expect.arrayContaining(['--opt', '--sched']));
  });

  it('writes the recipe out, defaults included, and leaves what is off out', () => {
    const args = configArgs(fromArgs(['--epochs', '3']));
    expect(args).toEqual(
      expect.arrayContaining(['--model', 'resnet-small', '--epochs', '3', '--lr', '0.01']),
    );
    expect(args).not.toContain('--tta');
    expect(args).not.toContain('--mixup');
    expect(args).not.toContain('--aug');
  });

  it('every command in docs/results.jsonl is accepted today and gives its recorded recipe', () => {
    const runs = readFileSync('docs/results.jsonl', 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as { command: string; config: Record<string, unknown> });
    expect(runs.length).toBeGreaterThan(20);
    for (const r of runs) {
      const words = shellWords(r.command.replace('npx gradsheet train ', ''));
      const config = fromArgs(words.slice(0, words.indexOf('--out'))) as unknown as Record<
        string,
        unknown
      >;
      // older runs predate some settings (and the micro-batch's default): the recipe itself
      for (const k of ['model', 'epochs', 'lr', 'bs', 'aug', 'tta', 'seed', 'rule', 'schedFormula'])
        if (k in r.config)
          expect(config[k], `${k} of ${r.command.slice(-40)}`).toEqual(r.config[k]);
    }
  });

  it('quotes for the shell: sh reads the command back into the same arguments', () => {
    const config = fromArgs(['--rule', RULE_TEXTS.lion, '--out', 'x']);
    const command = trainCommand(config, ['--out', "runs/it's here"]);
    const words = shellWords(command.replace('npx gradsheet train ', ''));
    expect(words).toEqual([...configArgs(config), '--out', "runs/it's here"]);
  });
});
