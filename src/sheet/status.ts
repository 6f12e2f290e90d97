import type { Param } from './expression.ts';
import type { HyperKey, SheetDef } from './sheets.ts';
import { defaultHypers } from './sheets.ts';

/** A sheet's hyperparameter values: `lr` always, and the rule's others by name. */
export type HyperNumbers = Readonly<Record<HyperKey, number>> & { readonly lr: number };

/** One line of a sheet's epoch history: a pass over the data and where it started. */
export interface HistoryRow {
  /** 1 is the pass right after Reset; k+1 the pass after k Run epochs. */
  readonly epoch: number;
  readonly rmse: number;
  readonly lr: number;
  readonly intercept: number;
  readonly slope: number;
}

/**
 * Everything on an optimizer sheet that is a typed value rather than a formula: what the
 * macros write and the user edits. The formulas follow from it, the model and the data.
 */
export interface SheetStatus {
  readonly top: Readonly<Record<Param, number>>;
  /** State carried into the pass, by slot then parameter. */
  readonly state: Readonly<Record<string, Readonly<Record<Param, number>>>>;
  readonly hypers: HyperNumbers;
  /** adam_ann's lowest gradient size so far (`prev_grad2`). */
  readonly prevGrad2: number;
  readonly history: readonly HistoryRow[];
}

/** The status before Reset: start guesses a = b = 1 and the reset state, no history. */
export const initialStatus = (
  def: SheetDef,
  hypers: Partial<Record<HyperKey, number>> = {},
): SheetStatus => ({
  top: { b: 1, a: 1 },
  state: Object.fromEntries(
    def.rule.slots.map((s) => [s, { b: def.resetState[s] ?? 0, a: def.resetState[s] ?? 0 }]),
  ),
  hypers: { lr: NaN, ...defaultHypers(def), ...hypers },
  prevGrad2: 1,
  history: [],
});
