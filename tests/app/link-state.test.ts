import { describe, expect, it } from 'vitest';
import { RULE_TEXTS } from '../../src/optimizers/index.ts';
import type { AppState } from '../../src/sheet/index.ts';
import {
  defaultState,
  drain,
  Workbook,
  workbookData,
  workbookModel,
} from '../../src/sheet/index.ts';
import { fromLink, runsOf, stateOf } from '../../src/app/link-state.ts';

/** A link's state with something in every part: typed values, runs, and a rule with a schedule. */
const linked: AppState = {
  sheet: 'lion',
  data: { kind: 'generated', seed: 3, rows: 12, intercept: 2, slope: -1, noise: 0.5 },
  model: { model: 'a*x + b', loss: 'abs(pred - y)' },
  hypers: { adam: { lr: 0.2, beta2: 0.95 }, lion: { lr: 0.05 } },
  runs: { adam: 3, lion: 2 },
  rules: [
    {
      name: 'lion',
      text: RULE_TEXTS.lion,
      schedule: { text: 'lr = lr * (1 + cos(pi * pct)) / 2', epochs: 4 },
    },
  ],
};

describe("the Sheet tab's link state", () => {
  it('the workbook a link builds gives the same link back, its runs replayed', () => {
    const wb = drain(fromLink(linked));
    expect(stateOf(wb, 'lion')).toEqual(linked);
    expect(wb.runsDone('adam')).toBe(3);
    expect(wb.runsDone('basic')).toBe(0);
    // the replayed runs are the runs themselves: the same rmse as running them by hand
    const byHand = new Workbook({ data: linked.data, model: linked.model, hypers: linked.hypers });
    byHand.run('adam', 3);
    expect(wb.history('adam')).toEqual(byHand.history('adam'));
  });

  it('names only the sheets that have runs', () => {
    const wb = new Workbook({ data: workbookData, model: workbookModel });
    expect(runsOf(wb)).toEqual({});
    wb.run('momentum', 2);
    expect(runsOf(wb)).toEqual({ momentum: 2 });
    expect(stateOf(wb, 'data')).toEqual({ ...defaultState, sheet: 'data', runs: { momentum: 2 } });
  });
});
