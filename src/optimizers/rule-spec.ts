import type { FormulaLine } from './lang/lines.ts';

/** A rule text's `hyper` line: a hyperparameter and its default. */
export interface HyperLine {
  readonly line: number;
  readonly name: string;
  readonly value: number;
}

/** A `state` line (the slot's initial value) or a body line, by name. */
export interface NamedLine extends FormulaLine {
  readonly name: string;
}

/**
 * A body line, run top to bottom: `let x = …` (an intermediate value), `m = …` (a state slot's
 * next value) or `param = …` (the parameter's next value; exactly one).
 */
export interface BodyLine extends NamedLine {
  readonly kind: 'let' | 'slot' | 'param';
}

/** A parsed rule text: what the text says, before it becomes an `UpdateRule`. */
export interface RuleSpec {
  readonly name: string;
  /** The comment lines at the top of the text, without their `#`. */
  readonly doc: readonly string[];
  readonly hypers: readonly HyperLine[];
  readonly states: readonly NamedLine[];
  readonly body: readonly BodyLine[];
}

/** The names every rule formula may use without declaring them. */
export const RULE_INPUTS = ['param', 'grad', 'lr', 'step'] as const;
