import { describe, expect, it } from 'vitest';
import { formatTrainLink, parseTrainLink } from '../../src/app/train/link.ts';
import { describeConfig, newRun } from '../../src/app/train/run-record.ts';
import type { Settings } from '../../src/app/train/settings.ts';
import { DEFAULT_SETTINGS, OWN, parseSettings } from '../../src/app/train/settings.ts';
import { sheetRules } from '../../src/app/train/sheet-rules.ts';
import { RULE_TEXTS, SCHEDULE_TEXTS } from '../../src/optimizers/index.ts';

const lion: Settings = {
  ...DEFAULT_SETTINGS,
  opt: OWN,
  rule: RULE_TEXTS.lion,
  hyper: { beta1: '0.9', beta2: '0.98' },
  sched: OWN,
  schedFormula: SCHEDULE_TEXTS.cosine,
  schedEvery: 'epoch',
  lr: '0.0003',
};

describe('the Train tab with the student’s own rule and schedule', () => {
  it('builds the config the CLI builds: the rule and schedule texts, the rule’s hyperparameters', () => {
    const { config, errors } = parseSettings(lion);
    expect(errors).toEqual({});
    expect(config).toMatchObject({
      opt: 'adamw',
      rule: RULE_TEXTS.lion,
      hyper: { beta1: 0.9, beta2: 0.98 },
      schedFormula: SCHEDULE_TEXTS.cosine,
      schedEvery: 'epoch',
      lr: 3e-4,
    });
    expect(config && describeConfig(config)).toBe(
      'resnet-small · rule lion 0.0003 · own schedule per epoch · 5 ep · bs 1024',
    );
    expect(config && newRun(config, 'wasm', 2).label).toBe('#3 lion');
  });

  it('keeps the texts out of the config while a built-in optimizer and schedule are picked', () => {
    const { config } = parseSettings({ ...lion, opt: 'adam', sched: 'cosine', hyper: {} });
    expect(config).toMatchObject({ opt: 'adam', rule: null, sched: 'cosine', schedFormula: null });
  });

  it('refuses a rule or schedule that does not parse, with its line and column', () => {
    const { config, errors } = parseSettings({
      ...lion,
      rule: 'name x\nparam = param - lr*sgn(grad)',
      schedFormula: 'lr = lr * foo(pct)',
    });
    expect(config).toBeNull();
    expect(errors.rule).toMatch(/^the rule: line 2, column \d+ \(param\): unknown function 'sgn'/);
    expect(errors.schedFormula).toMatch(
      /^the schedule formula: line 1, column \d+ \(lr's schedule\): unknown function 'foo'/,
    );
  });

  it('checks the rule’s hyperparameters as the built-ins’ are, and says what an empty box needs', () => {
    expect(parseSettings({ ...lion, hyper: { beta1: '1.5', beta2: '0.99' } }).errors).toEqual({
      'hyper.beta1': 'beta1 must be in [0, 1), got 1.5',
    });
    expect(parseSettings({ ...lion, rule: ' ', schedFormula: '' }).errors).toEqual({
      rule: 'your rule is empty: pick one to start from, or type one',
      schedFormula: 'your schedule is empty: pick one to start from, or type one',
    });
  });

  it('a schedule may schedule the rule’s hyperparameters only', () => {
    const { errors } = parseSettings({ ...lion, schedFormula: 'eps = 0.1' });
    expect(errors.schedFormula).toMatch(/'eps' cannot be scheduled; schedule lr, beta1, beta2/);
  });
});

describe('the Train tab link with the student’s own rule and schedule', () => {
  it('carries the full texts and round-trips them', () => {
    const hash = formatTrainLink(lion);
    const q = new URLSearchParams(hash);
    expect(q.get('rule')).toBe(RULE_TEXTS.lion);
    expect(q.get('sched-formula')).toBe(SCHEDULE_TEXTS.cosine);
    expect(q.get('sched-every')).toBe('epoch');
    expect(q.get('beta2')).toBe('0.98');
    expect(q.has('opt')).toBe(false);
    const back = parseTrainLink(`#${hash}`);
    expect(back.errors).toEqual([]);
    expect(back.settings).toEqual(lion);
  });

  it('a link schedules only what its own optimizer has (sgd has no beta1)', () => {
    const q = new URLSearchParams({ opt: 'sgd', 'sched-formula': 'beta1 = 0.9' });
    const { errors } = parseTrainLink(`#${q.toString()}`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^link: ignored sched-formula=beta1 = 0\.9: .*beta1/);
  });

  it('an untrusted link: a bad rule or schedule is refused with its reason, the rest applies', () => {
    const q = new URLSearchParams({
      rule: 'param = param - lr*q',
      'sched-formula': 'lr = lr * foo(pct)',
      epochs: '3',
      eps: '1e-6',
    });
    const { settings, errors } = parseTrainLink(`#${q.toString()}`);
    expect(errors).toEqual([
      "link: ignored rule=param = param - lr*q: the rule: line 1, column 20 (param): unknown name 'q'; here you may use param, grad, lr, step, pi, e",
      expect.stringMatching(
        /^link: ignored sched-formula=lr = lr \* foo\(pct\): the schedule formula: line 1, column \d+ \(lr's schedule\): unknown function 'foo'/,
      ),
    ]);
    expect(settings).toEqual({
      ...DEFAULT_SETTINGS,
      epochs: '3',
      hyper: { ...DEFAULT_SETTINGS.hyper, eps: '1e-6' },
    });
  });

  it('refuses a hyperparameter the linked rule does not have, and a text over the limit', () => {
    const q = new URLSearchParams({
      rule: RULE_TEXTS.lion,
      eps: '1e-6',
      'sched-formula': `lr = lr${' '.repeat(4000)}`,
    });
    const { settings, errors } = parseTrainLink(`#${q.toString()}`);
    expect(errors).toEqual([
      'link: ignored eps=1e-6: your rule has no eps',
      expect.stringMatching(
        /^link: ignored sched-formula=lr = lr .*the schedule is 4007 characters long; the limit is 4000/,
      ),
    ]);
    expect(settings).toMatchObject({ opt: OWN, rule: RULE_TEXTS.lion, sched: 'onecycle' });
    expect(settings.hyper).toEqual({ beta1: '0.9', beta2: '0.99' });
  });
});

describe('the Sheet tab’s rule sheets offered to start from', () => {
  it('are the stored state’s rule texts that parse, in order', () => {
    const stored = new URLSearchParams({
      sheet: 'basic',
      'rule.lion': RULE_TEXTS.lion,
      'rule.bad': 'param = q',
      'rule.sgd2': RULE_TEXTS.sgd,
    }).toString();
    expect(sheetRules(stored)).toEqual([
      { name: 'lion', text: RULE_TEXTS.lion },
      { name: 'sgd2', text: RULE_TEXTS.sgd },
    ]);
    expect(sheetRules(null)).toEqual([]);
  });
});
