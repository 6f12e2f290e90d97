/**
 * Size limits of the rule and schedule language, stated up front because rule texts arrive
 * in links (untrusted). Anything larger is refused with a message, never truncated.
 */
export const LIMITS = {
  /** Characters in a whole rule or schedule text. */
  textChars: 4000,
  /** Characters in one formula (the part after `=`). */
  formulaChars: 400,
  /** Characters in one name. */
  nameChars: 24,
  /** Hyperparameters besides `lr`. */
  hypers: 8,
  /** State slots. */
  slots: 8,
  /** `let` lines (intermediate values). */
  lets: 16,
  /** Nesting of parentheses, calls and operators in one formula. */
  depth: 32,
} as const;
