import { evaluate } from 'mathjs';
import { describe, expect, it } from 'vitest';
import type { RuleDefinition } from '../../src/optimizers/index.ts';
import {
  applyRule,
  formulaOps,
  LIMITS,
  numberOps,
  parseRule,
  ref,
  RULE_TEXT_NAMES,
  RULE_TEXTS,
  ruleToText,
} from '../../src/optimizers/index.ts';

const ok = (text: string): RuleDefinition => {
  const { rule, errors } = parseRule(text);
  expect(errors.map((e) => e.message)).toEqual([]);
  if (!rule) throw new Error('no rule');
  return rule;
};

/** The value of `formula` with x = 0.7, y = −1.9 through the rule language and numberOps. */
const value = (formula: string): number => {
  const r = ok(`hyper x = 0.7\nhyper y = -1.9\nparam = ${formula}`);
  return applyRule(
    numberOps,
    r.rule,
    { param: 0, grad: 0, hyper: { lr: 0, ...r.defaults }, step: 1 },
    {},
  ).param;
};

describe('parseRule', () => {
  it('reads Lion: name, comment, hyperparameters with defaults, a slot and the body in order', () => {
    const r = ok(RULE_TEXTS.lion);
    expect(r.name).toBe('lion');
    expect(r.doc[0]).toMatch(/^Lion/);
    expect(r.rule.hypers).toEqual(['beta1', 'beta2']);
    expect(r.defaults).toEqual({ beta1: 0.9, beta2: 0.99 });
    expect(r.rule.slots).toEqual(['m']);
    expect(r.body.map((b) => `${b.kind} ${b.name}`)).toEqual(['param param', 'slot m']);
  });

  it('a param line above a slot update sees the old value, below it the new one', () => {
    const text = (paramFirst: boolean) => {
      const lines = ['m = m + grad', 'param = param - m'];
      return ['state m = 1', ...(paramFirst ? lines.reverse() : lines)].join('\n');
    };
    const run = (t: string) => {
      const r = ok(t).rule;
      return applyRule(numberOps, r, { param: 0, grad: 10, hyper: { lr: 0 }, step: 1 }, { m: 1 });
    };
    expect(run(text(true))).toEqual({ param: -1, state: { m: 11 } });
    expect(run(text(false))).toEqual({ param: -11, state: { m: 11 } });
    // and the formula text refers to the old or the new slot cell accordingly
    const input = { param: ref('P'), grad: ref('G'), hyper: { lr: ref('L') }, step: ref('T') };
    const cell = (t: string) =>
      ok(t).rule.nextParam(formulaOps, input, { m: ref('OLD') }, { m: ref('NEW') }).text;
    expect([cell(text(true)), cell(text(false))]).toEqual(['P-OLD', 'P-NEW']);
  });

  it('an unused let makes no formula text', () => {
    const r = ok('let unused = sqrt(grad)\nparam = param - lr*grad').rule;
    const input = { param: ref('P'), grad: ref('G'), hyper: { lr: ref('L') }, step: ref('T') };
    expect(r.nextParam(formulaOps, input, {}, {}).text).toBe('P-L*G');
  });

  it.each(RULE_TEXT_NAMES)('ruleToText round-trips the library rule %s', (name) => {
    const first = ok(RULE_TEXTS[name]);
    const again = ok(ruleToText(first));
    expect(ruleToText(again)).toBe(ruleToText(first));
    expect([again.name, again.doc, again.defaults]).toEqual([
      first.name,
      first.doc,
      first.defaults,
    ]);
    expect(again.body.map((b) => b.source)).toEqual(first.body.map((b) => b.source));
  });
});

describe('formulas are mathjs syntax: the same values as mathjs.evaluate', () => {
  it.each([
    '-2^2',
    '2^-1',
    '2^3^2',
    '-x^2 + 3*y',
    '1 - 2 - 3',
    '8/4/2',
    '2*3/4*5',
    '+x - -y',
    '(x + y) * (x - y)',
    'x < y ? 1 : 2',
    'x >= y ? 1 : x == y ? 2 : 3',
    'x != y ? x : y',
    'x <= 0.7 ? 10 : 20',
    'sqrt(abs(y)) * exp(-x) + log(x)',
    'tanh(x) + sin(y) - cos(pi*x)',
    'max(x, y, 0.5)',
    'sign(x - y) + sign(y)',
    '1.5e-3 * .5 + 2E2',
    'pi * e',
  ])('%s', (formula) => {
    const want = evaluate(formula, { x: 0.7, y: -1.9 }) as number;
    expect(Object.is(value(formula), want), `${value(formula)} vs ${want}`).toBe(true);
  });
});

// Each refusal: [what, text, line, column, message pattern]
const refusals: [string, string, number, number, RegExp][] = [
  ['unknown function', 'param = evaluate(grad)', 1, 9, /\(param\): unknown function 'evaluate'/],
  ['unknown name', 'param = param - lr*x', 1, 20, /unknown name 'x'; here you may use param, grad/],
  ['assignment', 'param = (lr = 3)', 1, 13, /assignment is not allowed/],
  ['function definition', 'param = f(x) = 2', 1, 14, /assignment is not allowed/],
  ['property access', 'param = grad.constructor', 1, 13, /property access is not allowed/],
  ['matrix', 'param = [1, 2]', 1, 9, /matrices are not allowed/],
  ['object', 'param = {a: 1}', 1, 9, /objects are not allowed/],
  ['string', 'param = "import"', 1, 9, /strings are not allowed/],
  ['second formula', 'param = 1; 2', 1, 10, /one formula per line/],
  ['factorial', 'param = grad!', 1, 13, /factorial/],
  ['implicit multiplication', 'param = 2 grad', 1, 11, /write '\*' before 'grad'/],
  ['function used as a value', 'param = sqrt + 1', 1, 9, /sqrt is a function/],
  ['wrong arity', 'param = sqrt(grad, 2)', 1, 9, /sqrt takes 1 argument/],
  ['bare comparison', 'param = grad > 0', 1, 14, /only be the condition of 'condition \? a : b'/],
  ['chained comparison', 'param = 0 < grad < 1 ? 1 : 2', 1, 18, /chained comparisons/],
  ['missing else', 'param = grad > 0 ? 1', 1, 21, /expected ':'/],
  ['unclosed parenthesis', 'param = (grad', 1, 14, /expected '\)'/],
  ['dangling operator', 'param = grad *', 1, 15, /expected a number, a name or '\('/],
  ['empty formula', 'param =', 1, 8, /the formula is empty/],
  ['huge number', 'param = 1e999', 1, 9, /too large/],
  ['unknown line', 'param - lr*grad', 1, 1, /expected 'hyper b = 0\.9'/],
  ['built-in name declared', 'hyper lr = 0.1\nparam = param', 1, 7, /'lr' is a built-in name/],
  ['prototype name', 'hyper constructor = 1\nparam = param', 1, 7, /not allowed as a name/],
  ['not an identifier', 'state 2m = 0\nparam = param', 1, 7, /is not a name/],
  ['declared twice', 'hyper b = 1\nstate b = 0\nb = b\nparam = param', 2, 7, /declared twice/],
  ['formula default', 'hyper b = 0.9 + 0\nparam = param', 1, 10, /a default must be a number/],
  ['undeclared slot', 'm = grad\nparam = param', 1, 1, /'m' is not a state slot/],
  ['hyper updated', 'hyper b = 1\nb = 2\nparam = param', 2, 1, /'b' cannot be updated/],
  ['slot never updated', 'state m = 0\nparam = param - m', 1, 7, /state m is never updated/],
  ['slot updated twice', 'state m = 0\nm = 1\nm = 2\nparam = param', 3, 1, /'m' is updated twice/],
  ['no param line', 'hyper b = 1', 1, 1, /no 'param = …' line/],
  ['two param lines', 'param = param\nparam = grad', 2, 1, /'param' is updated twice/],
  ['let used above', 'param = param - x\nlet x = 1', 1, 17, /'x' is used above its 'let' line/],
  [
    'slot in an initial value',
    'state m = v\nstate v = 0\nm = m\nv = v\nparam = param',
    1,
    11,
    /initial value may use only/,
  ],
  [
    'new param in a state',
    'state m = 0\nparam = param - m\nm = param',
    3,
    5,
    /move this line above it/,
  ],
  ['named twice', 'name a\nname b\nparam = param', 2, 1, /named twice/],
  ['bad rule name', 'name a b\nparam = param', 1, 1, /expected/],
];

describe('refusals name the formula and the place', () => {
  it.each(refusals)('%s', (_what, text, line, column, pattern) => {
    const { rule, errors } = parseRule(text);
    expect(rule).toBeUndefined();
    const e = errors[0];
    expect(e?.message).toMatch(pattern);
    expect([e?.line, e?.column]).toEqual([line, column]);
    expect(e?.message.startsWith(`line ${line}, column ${column} (`)).toBe(true);
  });

  it('reports every bad line, not just the first', () => {
    const { errors } = parseRule('state m = 0\nm = m + foo(1)\nparam = param - q');
    expect(errors.map((e) => e.line)).toEqual([2, 3]);
  });
});

describe('size limits, stated in LIMITS', () => {
  it('refuses a formula longer than the limit', () => {
    const long = `param = param${' + grad'.repeat(60)}`;
    expect(parseRule(long).errors[0]?.message).toMatch(
      new RegExp(`limit is ${LIMITS.formulaChars}`),
    );
  });
  it('refuses a text longer than the limit before reading it', () => {
    const text = `#${'x'.repeat(LIMITS.textChars)}\nparam = param`; // 4015 characters
    expect(parseRule(text).errors.map((e) => e.message)).toEqual([
      'line 1, column 1 (rule): the rule is 4015 characters long; the limit is 4000',
    ]);
  });
  it('refuses deep nesting without overflowing the stack', () => {
    expect(parseRule(`param = ${'('.repeat(40)}grad${')'.repeat(40)}`).errors[0]?.message).toMatch(
      /nests deeper than 32/,
    );
    expect(parseRule(`param = ${'-'.repeat(60)}grad`).errors[0]?.message).toMatch(/nests deeper/);
  });
  it('refuses a long name', () => {
    expect(parseRule(`hyper ${'b'.repeat(25)} = 1\nparam = param`).errors[0]?.message).toMatch(
      /longer than 24/,
    );
  });
  it.each([
    ['hyperparameters', (i: number) => `hyper h${i} = 1`, LIMITS.hypers],
    ['state slots', (i: number) => `state s${i} = 0\ns${i} = s${i}`, LIMITS.slots],
    ["'let' lines", (i: number) => `let l${i} = 1`, LIMITS.lets],
  ])('refuses more than the limit of %s', (what, line, max) => {
    const lines = (n: number) => [...Array.from({ length: n }, (_, i) => line(i)), 'param = param'];
    expect(parseRule(lines(max).join('\n')).errors).toEqual([]);
    expect(parseRule(lines(max + 1).join('\n')).errors[0]?.message).toMatch(
      new RegExp(`at most ${max} ${what}`),
    );
  });
});
