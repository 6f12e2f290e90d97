import type { Ops } from './ops.ts';

/** Hyperparameter and state values of one rule, by name. */
export type Named<K extends string, T> = Readonly<Record<K, T>>;

/** What one step of a rule sees for one (scalar or tensor) parameter. */
export interface StepInput<H extends string, T> {
  readonly param: T;
  readonly grad: T;
  /** Hyperparameters, `lr` among them: numbers, cell names or tensors. */
  readonly hyper: Named<H | 'lr', T>;
  /** 1-based step count, used only by bias correction. */
  readonly step: T;
}

/**
 * An update rule, split the way a spreadsheet row is: first the new optimizer state
 * (one cell per slot), then the new parameter, which may refer to the new state and to the
 * state before this step. Both are pure, so one definition serves every interpreter.
 */
export interface UpdateRule<S extends string = string, H extends string = string> {
  readonly name: string;
  /** Optimizer state slots, in sheet-column order. */
  readonly slots: readonly S[];
  /** Hyperparameters besides `lr`. */
  readonly hypers: readonly H[];
  /** The state a fresh optimizer starts from (zeros unless the rule says otherwise). */
  initState<T>(o: Ops<T>, input: StepInput<H, T>): Named<S, T>;
  nextState<T>(o: Ops<T>, input: StepInput<H, T>, state: Named<S, T>): Named<S, T>;
  nextParam<T>(o: Ops<T>, input: StepInput<H, T>, state: Named<S, T>, next: Named<S, T>): T;
}

/** Weight decay: none, decoupled (AdamW, miniai's `reg_step`), or L2 added to the gradient. */
export type WeightDecay = 'none' | 'decoupled' | 'l2';

/** One full step: new state, then new parameter. */
export const applyRule = <S extends string, H extends string, T>(
  o: Ops<T>,
  rule: UpdateRule<S, H>,
  input: StepInput<H, T>,
  state: Named<S, T>,
): { param: T; state: Named<S, T> } => {
  const next = rule.nextState(o, input, state);
  return { param: rule.nextParam(o, input, state, next), state: next };
};

/** `1 - x`, the EMA's weight on the new value. */
export const oneMinus = <T>(o: Ops<T>, x: T): T => o.sub(o.lit(1), x);

/** Exponential moving average: `avg·β + (1-β)·x`, in the workbook's order. */
export const ema = <T>(o: Ops<T>, avg: T, beta: T, x: T): T =>
  o.add(o.mul(avg, beta), o.mul(oneMinus(o, beta), x));

/** `x²`, written as a power so that number and formula interpreters agree (`^` is `Math.pow`). */
export const square = <T>(o: Ops<T>, x: T): T => o.pow(x, o.lit(2));

/**
 * The gradient a rule sees after L2 regularisation (`g + wd·p`), or the raw gradient.
 * `wd` is the `weightDecay` hyperparameter.
 */
export const regularisedGrad = <T>(
  o: Ops<T>,
  decay: WeightDecay,
  grad: T,
  param: T,
  wd: T | undefined,
): T => (decay === 'l2' && wd !== undefined ? o.add(grad, o.mul(wd, param)) : grad);

/**
 * The parameter a rule steps from after decoupled weight decay, `p·(1 - lr·wd)` (miniai's
 * `reg_step`, applied before the update), or the parameter itself.
 */
export const decayedParam = <T>(
  o: Ops<T>,
  decay: WeightDecay,
  param: T,
  lr: T,
  wd: T | undefined,
): T =>
  decay === 'decoupled' && wd !== undefined ? o.mul(param, oneMinus(o, o.mul(lr, wd))) : param;
