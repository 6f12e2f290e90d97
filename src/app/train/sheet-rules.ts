import { parseRule } from '../../optimizers/index.ts';

/** A rule sheet the student made on the Sheet tab: its name and its rule text. */
export interface SheetRule {
  readonly name: string;
  readonly text: string;
}

/**
 * The rule sheets in the Sheet tab's stored state (the hash of its link, `rule.<sheet>=<text>`),
 * those whose text parses, in tab order. Storage is as untrusted as a link: every text goes
 * through the same parser and limits, and one that does not parse is left out.
 */
export const sheetRules = (stored: string | null): SheetRule[] =>
  [...new URLSearchParams((stored ?? '').replace(/^#/, ''))]
    .filter(([key]) => key.startsWith('rule.'))
    .map(([key, text]) => ({ name: key.slice('rule.'.length), text }))
    .filter((r) => r.name !== '' && parseRule(r.text).rule !== undefined);
