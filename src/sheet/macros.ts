import { initAnnealing, numberOps, stepAnnealing, toSchedule } from '../optimizers/index.ts';
import type { SheetEngine, StateValues } from './engine.ts';
import { PARAMS } from './expression.ts';
import type { HistoryRow, SheetStatus } from './status.ts';

/** adam_ann's `avg_grad2`: √sqr_b + √sqr_a of the state carried into the pass. */
export const avgGrad2 = (s: SheetStatus): number =>
  Math.sqrt(s.state.sqr?.b ?? NaN) + Math.sqrt(s.state.sqr?.a ?? NaN);

const record = (e: SheetEngine, epoch: number): HistoryRow => {
  const s = e.status();
  return { epoch, rmse: e.rmse(), lr: s.hypers.lr, intercept: s.top.b, slope: s.top.a };
};

/**
 * The lr of epoch `epoch` (1 is the pass Reset leaves) on a sheet with a schedule: the
 * schedule at step `epoch − 1` of its `epochs`, from the lr the user typed; past the last
 * epoch it stays at the last one's. Undefined on a sheet without one.
 */
export const scheduledLr = (e: SheetEngine, epoch: number, startLr: number): number | undefined => {
  const s = e.def.schedule;
  if (!s) return undefined;
  return toSchedule(s.set, 'lr', { total: s.epochs, lr: startLr })(Math.min(epoch, s.epochs) - 1);
};

/**
 * A user rule's `state` lines, evaluated per parameter at the start guesses with the first row's
 * gradient (which does not depend on the state), as a fresh optimizer starts.
 */
const ruleInitState = (e: SheetEngine): StateValues => {
  const s = e.status();
  const grads = e.firstGrads();
  const per = Object.fromEntries(
    PARAMS.map((p) => [
      p,
      e.def.rule.initState(numberOps, {
        param: s.top[p],
        grad: grads[p],
        hyper: s.hypers,
        step: 1,
      }),
    ]),
  );
  return Object.fromEntries(
    e.def.rule.slots.map((slot) => [slot, { b: per.b?.[slot] ?? NaN, a: per.a?.[slot] ?? NaN }]),
  );
};

/**
 * The workbook's `reset` macro: a = b = 1, the reset state, then the warm-up passes (copy the
 * last row's state to the top, once on `momentum`, twice on `rmsprop`/`adam`), and on
 * `adam_ann` `prev_grad2 := avg_grad2` before and after warming up.
 *
 * Two differences, both so that nothing typed is lost: the lr is set back to `startLr` (the
 * value the user last typed; the macro wrote its own constant), and the history starts with the
 * pass Reset leaves on the sheet (epoch 1) instead of being empty.
 */
export const reset = (e: SheetEngine, startLr: number): void => {
  const { def } = e;
  const state = Object.fromEntries(
    def.rule.slots.map((s) => [s, { b: def.resetState[s] ?? 0, a: def.resetState[s] ?? 0 }]),
  );
  e.update({
    top: { b: 1, a: 1 },
    state,
    hypers: { ...e.status().hypers, lr: scheduledLr(e, 1, startLr) ?? startLr },
    history: [],
  });
  if (def.source !== undefined) e.update({ state: ruleInitState(e) });
  if (def.annealing) e.update({ prevGrad2: avgGrad2(e.status()) });
  for (let k = 0; k < def.warmups; k++) e.update({ state: e.stateLast() });
  if (def.annealing) e.update({ prevGrad2: avgGrad2(e.status()) });
  e.update({ history: [record(e, 1)] });
};

/**
 * One epoch of the workbook's `run` macro (`onestep`): carry the state after the last row
 * into the next pass, copy the last row's *inputs* (`lastconst`, `lastslope`) to the top, so
 * the 29th update is discarded as in the workbook; on `adam_ann` then divide lr by 4 if the
 * gradient ratio passed 2 and track the lowest gradient size; on a sheet with an lr schedule,
 * set the new epoch's lr from it (`startLr` being the lr the user typed). Appends the new
 * pass's rmse.
 *
 * All copies read the same pass before anything is written (the macros run in manual
 * calculation mode).
 */
export const runEpoch = (e: SheetEngine, startLr = NaN): void => {
  const before = e.status();
  e.update({ state: e.stateLast(), top: e.lastInputs() });
  const lr = scheduledLr(e, before.history.length + 1, startLr);
  if (lr !== undefined) e.update({ hypers: { ...before.hypers, lr } });
  if (e.def.annealing) {
    const next = stepAnnealing(
      initAnnealing(before.hypers.lr, before.prevGrad2),
      avgGrad2(e.status()),
    );
    e.update({ hypers: { ...before.hypers, lr: next.lr }, prevGrad2: next.best });
  }
  e.update({ history: [...before.history, record(e, before.history.length + 1)] });
};

/** The workbook's `run` button: `epochs` (5) single epochs. */
export const run = (e: SheetEngine, epochs = 5, startLr = NaN): void => {
  for (let k = 0; k < epochs; k++) runEpoch(e, startLr);
};
