import { numberOps } from '../optimizers/index.ts';
import type { Dataset } from './data.ts';
import { yValues } from './data.ts';
import type { SheetEngine, StateValues } from './engine.ts';
import type { CompiledModel, Param } from './expression.ts';
import type { ColumnKey } from './layout.ts';
import { gradKey, slotKey } from './layout.ts';
import { buildPass } from './pass.ts';
import type { SheetDef } from './sheets.ts';
import type { SheetStatus } from './status.ts';

/** One pass computed with plain numbers: each column's values, top to bottom. */
export type PassValues = ReadonlyMap<ColumnKey, readonly number[]>;

export const simulatePass = (
  def: SheetDef,
  model: CompiledModel,
  data: Dataset,
  status: SheetStatus,
): PassValues => {
  const ys = yValues(data);
  const cols = new Map<ColumnKey, number[]>();
  buildPass(numberOps, def, model, data.x.length, {
    cell: (i, key, v) => {
      let col = cols.get(key);
      if (!col) cols.set(key, (col = []));
      col[i] = v;
      return v;
    },
    x: (i) => data.x[i] ?? NaN,
    y: (i) => ys[i] ?? NaN,
    top: (p) => status.top[p],
    hyper: (k) => status.hypers[k] ?? NaN,
    stateIn: (slot, p) => status.state[slot]?.[p] ?? NaN,
  });
  return cols;
};

/** Σ then √, left to right from 0, exactly as HyperFormula's `SQRT(SUM(…))`. */
export const rootSum = (xs: readonly number[]): number => Math.sqrt(xs.reduce((s, v) => s + v, 0));

const last = (pass: PassValues, key: ColumnKey): number => pass.get(key)?.at(-1) ?? NaN;

/** The sheet computed without a spreadsheet: the number interpreter, same macros. */
export class NumberSheet implements SheetEngine {
  #status: SheetStatus;
  #pass: PassValues | null = null;

  constructor(
    readonly def: SheetDef,
    private readonly model: CompiledModel,
    private readonly data: Dataset,
    status: SheetStatus,
  ) {
    this.#status = status;
  }

  status(): SheetStatus {
    return this.#status;
  }

  update(patch: Partial<SheetStatus>): void {
    this.#status = { ...this.#status, ...patch };
    this.#pass = null;
  }

  pass(): PassValues {
    this.#pass ??= simulatePass(this.def, this.model, this.data, this.#status);
    return this.#pass;
  }

  firstGrads(): Record<Param, number> {
    const pass = this.pass();
    return { b: pass.get(gradKey('b'))?.[0] ?? NaN, a: pass.get(gradKey('a'))?.[0] ?? NaN };
  }

  lastInputs(): Record<Param, number> {
    return { b: last(this.pass(), 'b'), a: last(this.pass(), 'a') };
  }

  stateLast(): StateValues {
    const pass = this.pass();
    return Object.fromEntries(
      this.def.rule.slots.map((s) => [
        s,
        { b: last(pass, slotKey(s, 'b')), a: last(pass, slotKey(s, 'a')) },
      ]),
    );
  }

  rmse(): number {
    return rootSum(this.pass().get('err') ?? []);
  }
}
