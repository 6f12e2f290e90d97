import type { Named, Ops, StepInput } from '../optimizers/index.ts';
import type { CompiledModel, Param } from './expression.ts';
import { evaluate, isOne, PARAMS } from './expression.ts';
import type { ColumnKey } from './layout.ts';
import { gradKey, newKey, slotKey } from './layout.ts';
import type { HyperKey, SheetDef } from './sheets.ts';

/** The finite-difference step of `basic`'s errb1/erra1 columns. */
export const FD_STEP = 0.01;

/**
 * What a pass reads and where its cells go. The formula interpreter returns cell references
 * (so later cells refer to earlier ones, as in the workbook); the number interpreter returns
 * the values themselves.
 */
export interface PassSink<T> {
  /** Records a row cell and returns what later cells use to refer to it. */
  cell(i: number, key: ColumnKey, value: T): T;
  x(i: number): T;
  y(i: number): T;
  top(p: Param): T;
  hyper(key: HyperKey): T;
  /** The optimizer state carried into the pass (the summary row's state cells). */
  stateIn(slot: string, p: Param): T;
}

/**
 * One pass over the data, one optimizer step per row, written once for every interpreter:
 * prediction, loss, (finite-difference checks,) gradients from the symbolic derivatives,
 * then the update rule's new state and new parameters.
 */
export const buildPass = <T>(
  o: Ops<T>,
  def: SheetDef,
  model: CompiledModel,
  n: number,
  sink: PassSink<T>,
): void => {
  const { rule } = def;
  const hyper = Object.fromEntries(['lr', ...rule.hypers].map((k) => [k, sink.hyper(k)])) as Named<
    string,
    T
  >;
  const unit = PARAMS.find((p) => isOne(model.dPred[p]));
  let params: Record<Param, T> = { b: sink.top('b'), a: sink.top('a') };
  let state: Record<Param, Named<string, T>> = {
    b: Object.fromEntries(rule.slots.map((s) => [s, sink.stateIn(s, 'b')])),
    a: Object.fromEntries(rule.slots.map((s) => [s, sink.stateIn(s, 'a')])),
  };
  const step = (p: T, shift: Param, env: Record<Param, T>): Record<Param, T> => ({
    ...env,
    [shift]: o.add(p, o.lit(FD_STEP)),
  });
  for (let i = 0; i < n; i++) {
    const x = sink.x(i);
    const y = sink.y(i);
    const cur: Record<Param, T> = {
      b: sink.cell(i, 'b', params.b),
      a: sink.cell(i, 'a', params.a),
    };
    const pred = sink.cell(i, 'pred', evaluate(o, model.model, { x, ...cur }));
    const err = sink.cell(i, 'err', evaluate(o, model.loss, { pred, y }));
    if (def.finiteDifference) {
      for (const p of PARAMS) {
        const shifted = step(cur[p], p, cur);
        const fdPred = evaluate(o, model.model, { x, ...shifted });
        const e1 = sink.cell(
          i,
          p === 'b' ? 'errb' : 'erra',
          evaluate(o, model.loss, { pred: fdPred, y }),
        );
        sink.cell(i, p === 'b' ? 'estb' : 'esta', o.div(o.sub(e1, err), o.lit(FD_STEP)));
      }
    }
    const dLoss = evaluate(o, model.dLossDPred, { pred, y });
    const grads: Partial<Record<Param, T>> = {};
    const unitGrad = unit ? sink.cell(i, gradKey(unit), dLoss) : undefined;
    if (unit && unitGrad !== undefined) grads[unit] = unitGrad;
    for (const p of PARAMS) {
      if (p === unit) continue;
      grads[p] = sink.cell(
        i,
        gradKey(p),
        o.mul(unitGrad ?? dLoss, evaluate(o, model.dPred[p], { x, ...cur })),
      );
    }
    const nextParams = { ...params };
    const nextState = { ...state };
    for (const p of PARAMS) {
      const input: StepInput<string, T> = {
        param: cur[p],
        grad: grads[p] as T,
        hyper,
        step: o.lit(i + 1),
      };
      const computed = rule.nextState(o, input, state[p]);
      const cells = Object.fromEntries(
        rule.slots.map((s) => [s, sink.cell(i, slotKey(s, p), computed[s] as T)]),
      );
      nextParams[p] = sink.cell(i, newKey(p), rule.nextParam(o, input, state[p], cells));
      nextState[p] = cells;
    }
    params = nextParams;
    state = nextState;
  }
};
