import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Named, RuleTextName } from '../../src/optimizers/index.ts';
import { applyRule, libraryRule, numberOps, RULE_TEXT_NAMES } from '../../src/optimizers/index.ts';

interface Case {
  readonly name: string;
  readonly torch: string;
  readonly hyper: Record<string, number>;
  readonly param0: number[];
  readonly grads: number[][];
  readonly params: number[][];
}

// Made by scripts/rule-references.py from PyTorch's optimizers in float64.
const fixture = JSON.parse(
  readFileSync(new URL('fixtures/rule-references.json', import.meta.url), 'utf8'),
) as { torch: string; cases: Case[] };

const isLibrary = (n: string): n is RuleTextName => (RULE_TEXT_NAMES as string[]).includes(n);

describe.each(fixture.cases)('$name = torch.optim (float64)', (c) => {
  it(`follows ${c.torch} for ${c.grads.length} steps`, () => {
    expect(isLibrary(c.name)).toBe(true);
    if (!isLibrary(c.name)) return;
    const { rule, defaults } = libraryRule(c.name);
    // The fixture's hyperparameters are the library defaults (lr aside), so the test runs the
    // rule exactly as a user picking it from the library would get it.
    expect({ ...defaults, lr: c.hyper.lr }).toEqual(c.hyper);
    c.param0.forEach((p0, i) => {
      let p = p0;
      let state: Named<string, number> | undefined;
      c.grads.forEach((gs, t) => {
        const input = { param: p, grad: gs[i] ?? NaN, hyper: c.hyper, step: t + 1 };
        const out = applyRule(numberOps, rule, input, state ?? rule.initState(numberOps, input));
        p = out.param;
        state = out.state;
        const want = c.params[t]?.[i] ?? NaN;
        expect(Math.abs(p - want), `element ${i}, step ${t + 1}: ${p} vs ${want}`).toBeLessThan(
          1e-12 * Math.max(1, Math.abs(want)),
        );
      });
    });
  });
});

it('covers every starter rule PyTorch has', () => {
  expect(fixture.cases.map((c) => c.name).sort()).toEqual(
    ['adagrad', 'adamax', 'adamw', 'amsgrad', 'nadam', 'nesterov', 'radam'].sort(),
  );
});

describe('lion: the paper’s Algorithm 2 (Chen et al. 2023), worked by hand', () => {
  const { rule, defaults } = libraryRule('lion');
  const hyper = { lr: 0.1, ...defaults }; // β₁ 0.9, β₂ 0.99
  const run = (grads: number[]) => {
    let p = 1;
    let state = rule.initState(numberOps, { param: p, grad: 0, hyper, step: 1 });
    const ps: number[] = [];
    grads.forEach((g, t) => {
      const out = applyRule(numberOps, rule, { param: p, grad: g, hyper, step: t + 1 }, state);
      p = out.param;
      state = out.state;
      ps.push(p, state.m ?? NaN);
    });
    return ps;
  };
  it('steps by lr·sign(β₁·m + (1−β₁)·g), then m ← β₂·m + (1−β₂)·g', () => {
    // step 1: c = 0.9·0 + 0.1·3 = 0.3 > 0 → p = 1 − 0.1 = 0.9;  m = 0.99·0 + 0.01·3 = 0.03
    // step 2: g = −0.2: c = 0.9·0.03 + 0.1·(−0.2) = 0.027 − 0.02 = 0.007 > 0 → p = 0.8
    //         (the old momentum outvotes the new gradient); m = 0.99·0.03 − 0.002 = 0.0277
    // step 3: g = −1: c = 0.9·0.0277 − 0.1 = −0.07507 < 0 → p = 0.9;  m = 0.027423 − 0.01
    const ps = run([3, -0.2, -1]);
    const want = [0.9, 0.03, 0.8, 0.0277, 0.9, 0.017423];
    ps.forEach((x, i) => {
      expect(x).toBeCloseTo(want[i] ?? NaN, 15);
    });
  });
  it('takes no step when the interpolation is exactly 0', () => {
    expect(run([0])[0]).toBe(1);
  });
});
