import { describe, expect, it } from 'vitest';
import type { AppState } from '../../src/sheet/index.ts';
import { defaultState, formatState, parseState } from '../../src/sheet/index.ts';

describe('URL state', () => {
  it.each<AppState>([
    defaultState,
    {
      ...defaultState,
      sheet: 'adam_ann',
      hypers: { adam: { lr: 0.1, beta2: 0.95 } },
      runs: { adam: 5, basic: 2 },
    },
    {
      ...defaultState,
      data: { kind: 'generated', seed: 9, rows: 100, intercept: -1.5, slope: 0.25, noise: 3 },
    },
    {
      ...defaultState,
      data: { kind: 'custom', x: [1, 2.5, -3], y: [4, 5, 6e-3] },
      model: { model: 'a*exp(b*x)', loss: 'abs(pred-y)' },
    },
  ])('round-trips %#', (s) => {
    const { state, errors } = parseState(formatState(s));
    expect(errors).toEqual([]);
    expect(state).toEqual(s);
  });

  it('keeps the good parts of a broken link and says what it ignored', () => {
    const { state, errors } = parseState(
      '#sheet=adam&adam.lr=abc&momentum.beta1=0.8&data=gen:1,2&bogus=1&model=a*q',
    );
    expect(state.sheet).toBe('adam');
    expect(state.hypers).toEqual({ momentum: { beta1: 0.8 } });
    expect(state.data).toEqual(defaultState.data);
    expect(state.model).toEqual(defaultState.model);
    expect(errors).toHaveLength(4);
    expect(errors.join('\n')).toMatch(/adam\.lr=abc.*not one/);
    expect(errors.join('\n')).toMatch(/unknown setting 'bogus'/);
  });

  it('checks generated data by the same settings as the CLI’s --rows/--noise', () => {
    const { state, errors } = parseState('#data=gen:1,1,30,2,0&sheet=momentum');
    expect(state.sheet).toBe('momentum');
    expect(state.data).toEqual(defaultState.data);
    expect(errors).toEqual([
      'link: ignored data=gen:1,1,30,2,0: rows must be a whole number in 2…1000, got 1',
    ]);
    expect(parseState('#data=gen:1,9,30,2,-1').errors).toEqual([
      'link: ignored data=gen:1,9,30,2,-1: noise must be 0 or more, got -1',
    ]);
  });
});
