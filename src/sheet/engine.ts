import type { Param } from './expression.ts';
import type { SheetDef } from './sheets.ts';
import type { SheetStatus } from './status.ts';

export type ParamValues = Readonly<Record<Param, number>>;
export type StateValues = Readonly<Record<string, ParamValues>>;

/**
 * What the workbook's macros need from a sheet: its typed values, and three results of the
 * current pass. Implemented by the live HyperFormula workbook and by the plain-number
 * simulation, so the macros are written once and the two can be compared.
 */
export interface SheetEngine {
  readonly def: SheetDef;
  status(): SheetStatus;
  /** Writes typed values; the pass recomputes. */
  update(patch: Partial<SheetStatus>): void;
  /** The gradients of the first row (`de/db`, `de/da`): what a rule's `state` lines may use. */
  firstGrads(): ParamValues;
  /** The inputs of the last row (`lastconst`, `lastslope`). */
  lastInputs(): ParamValues;
  /** The state after the last row (`momlast`, `ms_last`). */
  stateLast(): StateValues;
  /** √(Σ err²) of the pass. */
  rmse(): number;
}
