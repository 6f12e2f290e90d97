/**
 * gradsheet's optimizer core: pure math, no tensors, no DOM.
 *
 * One hyperparameter vocabulary, mapped to the other places it appears:
 *
 * | gradsheet     | workbook cell    | miniai / fastai | PyTorch        | optax | tfjs      |
 * |---------------|------------------|-----------------|----------------|-------|-----------|
 * | `lr`          | `lr` (learn)     | `lr`            | `lr`           | `learning_rate` | `learningRate` |
 * | `beta1`       | `beta_1` (beta)  | `mom`, `beta1`  | `momentum`, `betas[0]` | `b1` | `momentum`, `beta1` |
 * | `beta2`       | `beta_2` (beta)  | `sqr_mom`, `beta2` | `alpha` (RMSprop), `betas[1]` | `b2`, `decay` | `decay`, `beta2` |
 * | `eps`         | –                | `eps`           | `eps`          | `eps` | `epsilon` |
 * | `weightDecay` | –                | `wd`            | `weight_decay` | `weight_decay` | – |
 *
 * Spreadsheet names are `beta_1`/`beta_2` because `beta1` reads as a cell address there.
 */
export type { Comparison, FnName, Ops } from './ops.ts';
export { comparisons, fnNames, numberOps } from './ops.ts';
export type { Formula } from './formula-ops.ts';
export { formulaOps, formatLiteral, ref, toCell } from './formula-ops.ts';
export type { Named, StepInput, UpdateRule, WeightDecay } from './rule.ts';
export { applyRule, ema, oneMinus, square } from './rule.ts';
export { zeros } from './init-state.ts';
export type { EpsPlacement } from './eps.ts';
export { sgd } from './sgd.ts';
export type { SgdOptions } from './sgd.ts';
export { momentum } from './momentum.ts';
export type { MomentumOptions } from './momentum.ts';
export { rmsprop } from './rmsprop.ts';
export type { RmspropOptions } from './rmsprop.ts';
export { adam } from './adam.ts';
export type { AdamOptions } from './adam.ts';
export type { CosineOptions, OneCycle, OneCycleOptions, Schedule } from './schedules.ts';
export { constant, cosineAnneal, cosineAnnealing, oneCycle } from './schedules.ts';
export type { HyperSchedule, HyperSchedules, HyperValues, Progress } from './hypers.ts';
export {
  cosineHypers,
  epochOf,
  formulaHypers,
  hypersAt,
  lrFinderHypers,
  oneCycleHypers,
  totalSteps,
} from './hypers.ts';
export type { AnnealingOptions, AnnealingState } from './annealing.ts';
export { initAnnealing, stepAnnealing } from './annealing.ts';
export { LIMITS } from './lang/limits.ts';
export type { TextError } from './lang/lines.ts';
export type { BodyLine, HyperLine, NamedLine, RuleSpec } from './rule-spec.ts';
export type { ParsedRule, RuleDefinition } from './rule-text.ts';
export { parseRule, ruleToText } from './rule-text.ts';
export type { ParsedSchedules, ScheduleInput, ScheduleLine, ScheduleSet } from './schedule-text.ts';
export {
  evaluateSchedules,
  parseSchedules,
  SCHEDULE_INPUTS,
  schedulesToText,
  toSchedule,
} from './schedule-text.ts';
export type { RuleTextName, ScheduleTextName } from './library.ts';
export { libraryRule, RULE_TEXT_NAMES, RULE_TEXTS, SCHEDULE_TEXTS } from './library.ts';
