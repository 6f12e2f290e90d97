import * as tf from '@tensorflow/tfjs';
import type { HyperValues, Named, UpdateRule } from '../../optimizers/index.ts';
import { tensorOps } from './tensor-ops.ts';

import type { Hyper } from './optimizer-table.ts';
export type { Hyper, OptimizerName } from './optimizer-table.ts';
export { OPTIMIZER_NAMES, OPTIMIZERS } from './optimizer-table.ts';

/**
 * A serialisable snapshot: the step count and every state slot's values. `hypers` holds the
 * values the last step used, for a reader of a checkpoint; `loadState` does not take them back:
 * a fit recomputes each step's values from its schedules and the step count (optimizers/hypers.ts).
 */
export interface OptimizerState {
  readonly step: number;
  readonly hypers: readonly Hyper[];
  readonly slots: readonly (Record<string, { shape: number[]; values: number[] }> | null)[];
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((n, i) => n === b[i]);

/** A rule's result in the parameter's shape: a formula of scalars only (`s = step`, `param = 0`) holds one value for every element. */
const fitTo = (x: tf.Tensor, shape: number[]): tf.Tensor =>
  sameShape(x.shape, shape) ? x : tf.broadcastTo(x, shape);

/**
 * Applies an `UpdateRule` from `src/optimizers` to tfjs variables: the same math as the sheet,
 * through the tensor interpreter, one `tf.tidy` per parameter. State slots are variables
 * created on the first step (from the rule's `initState`, which may look at the gradient).
 *
 * It holds the hyperparameters' current values (`hypers`: lr and the rule's own), which every
 * step reads. `setHypers` is the only way to change them; during a fit the `hyperScheduler`
 * callback calls it before each step with the values of the fit's schedules at that step.
 */
export class RuleOptimizer {
  readonly params: readonly tf.Variable[];
  /** Steps taken so far. */
  step = 0;
  #hypers: HyperValues;
  #slots = new Map<tf.Variable, Named<string, tf.Variable>>();

  constructor(
    readonly rule: UpdateRule,
    params: readonly tf.Variable[],
    hyper: HyperValues,
  ) {
    this.params = [...params];
    this.#hypers = this.#checked(hyper, Number.isFinite);
  }

  /** The values the next step uses. */
  get hypers(): HyperValues {
    return this.#hypers;
  }

  /** Sets the values the next steps use: lr and each of the rule's hyperparameters. */
  setHypers(values: HyperValues): void {
    this.#hypers = this.#checked(values, (v) => typeof v === 'number');
  }

  /** `values` if each hyperparameter the rule needs is there and passes `ok` (a schedule may go to NaN: the loss then says so). */
  #checked(values: HyperValues, ok: (v: number | undefined) => boolean): HyperValues {
    for (const k of ['lr', ...this.rule.hypers]) {
      if (!ok(values[k])) throw new Error(`optimizer ${this.rule.name} needs hyperparameter ${k}`);
    }
    return Object.freeze({ ...values });
  }

  /** Updates every parameter that has a gradient; gradients are keyed by variable name. */
  applyGradients(grads: Readonly<Record<string, tf.Tensor>>): void {
    const t = this.step + 1;
    const hypers = this.#hypers;
    for (const v of this.params) {
      const g = grads[v.name];
      if (!g) continue;
      tf.tidy(() => {
        const hyper = Object.fromEntries(Object.entries(hypers).map(([k, x]) => [k, tf.scalar(x)]));
        const input = { param: v as tf.Tensor, grad: g, hyper, step: tf.scalar(t) };
        let slots = this.#slots.get(v);
        if (!slots) {
          const init = this.rule.initState(tensorOps, input);
          slots = Object.fromEntries(
            this.rule.slots.map((s) => [
              s,
              tf.variable(tf.broadcastTo(init[s] ?? tf.scalar(0), v.shape), false),
            ]),
          );
          this.#slots.set(v, slots);
        }
        const next = this.rule.nextState(tensorOps, input, slots);
        const param = this.rule.nextParam(tensorOps, input, slots, next);
        for (const s of this.rule.slots) slots[s]?.assign(fitTo(next[s] ?? tf.scalar(0), v.shape));
        v.assign(fitTo(param, v.shape));
      });
    }
    this.step = t;
  }

  /** A snapshot of the step, hyperparameters and slots, read back asynchronously (a GPU need not sync). */
  async state(): Promise<OptimizerState> {
    const slots: OptimizerState['slots'][number][] = [];
    for (const v of this.params) {
      const s = this.#slots.get(v);
      if (!s) {
        slots.push(null);
        continue;
      }
      const entries: [string, { shape: number[]; values: number[] }][] = [];
      for (const [k, t] of Object.entries(s))
        entries.push([k, { shape: t.shape, values: Array.from(await t.data()) }]);
      slots.push(Object.fromEntries(entries));
    }
    return { step: this.step, hypers: [{ ...this.#hypers }], slots };
  }

  /** Takes back the step count and the slots; the hyperparameters stay as they are (see `OptimizerState`). */
  loadState(state: OptimizerState): void {
    const params = this.params;
    if (state.slots.length !== params.length)
      throw new Error(
        `optimizer state has ${state.slots.length} parameters, the model ${params.length}`,
      );
    this.step = state.step;
    params.forEach((v, i) => {
      const s = state.slots[i];
      for (const t of Object.values(this.#slots.get(v) ?? {})) t.dispose();
      if (!s) {
        this.#slots.delete(v);
        return;
      }
      this.#slots.set(
        v,
        Object.fromEntries(
          Object.entries(s).map(([k, { shape, values }]) => {
            // tf.variable keeps its own reference to the data: the tensor it came from goes
            const t = tf.tensor(values, shape);
            const slot = tf.variable(t, false);
            t.dispose();
            return [k, slot];
          }),
        ),
      );
    });
  }

  dispose(): void {
    for (const s of this.#slots.values()) for (const t of Object.values(s)) t.dispose();
    this.#slots.clear();
  }
}
