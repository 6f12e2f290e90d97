import type { TextError } from './lang/lines.ts';
import { isError, located, stripComment } from './lang/lines.ts';
import { LIMITS } from './lang/limits.ts';
import type { UpdateRule } from './rule.ts';
import { buildRule } from './rule-build.ts';
import type { Split } from './rule-check.ts';
import { checkLines } from './rule-check.ts';
import type { RuleSpec } from './rule-spec.ts';

/** A rule typed as text, parsed and checked: the `UpdateRule` and the defaults of its hyperparameters. */
export interface RuleDefinition extends RuleSpec {
  readonly rule: UpdateRule;
  /** Each hyperparameter's default (not `lr`, which the user or a schedule gives). */
  readonly defaults: Readonly<Record<string, number>>;
}

export interface ParsedRule {
  /** Present exactly when `errors` is empty. */
  readonly rule: RuleDefinition | undefined;
  readonly errors: readonly TextError[];
}

const DECLARATION = /^(\s*)(?:(hyper|state|let)\s+)?([^\s=]+)\s*=/;
const NAME_LINE = /^\s*name\s+(\S+)\s*$/;
const RULE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,23}$/;
const SHAPES = "'hyper b = 0.9', 'state m = 0', 'let x = …', 'm = …' or 'param = …'";

const split = (raw: string, line: number): Split | TextError => {
  const text = stripComment(raw);
  const m = DECLARATION.exec(text);
  if (!m) return located(line, 1, 'line', `expected ${SHAPES}`);
  const [whole, lead = '', keyword, name = ''] = m;
  return {
    line,
    keyword: keyword === 'hyper' || keyword === 'state' || keyword === 'let' ? keyword : 'set',
    name,
    nameColumn: whole.indexOf(name, lead.length + (keyword?.length ?? 0)) + 1,
    formula: text.slice(whole.length),
    formulaColumn: whole.length,
  };
};

/**
 * Parses a rule text (see docs/rules.md): `hyper`, `state`, `let`, slot and `param` lines,
 * `#` comments and an optional `name` line. Every refusal is reported with its line and column;
 * nothing in the text is ever run as code.
 */
export const parseRule = (text: string): ParsedRule => {
  if (text.length > LIMITS.textChars) {
    const msg = `the rule is ${text.length} characters long; the limit is ${LIMITS.textChars}`;
    return { rule: undefined, errors: [located(1, 1, 'rule', msg)] };
  }
  const errors: TextError[] = [];
  const rawLines = text.split(/\r?\n/);
  const doc: string[] = [];
  let name: string | undefined;
  const splits: Split[] = [];
  rawLines.forEach((raw, i) => {
    const line = i + 1;
    if (stripComment(raw).trim() === '') {
      if (splits.length === 0 && name === undefined && raw.trim().startsWith('#'))
        doc.push(raw.trim().replace(/^#\s?/, ''));
      return;
    }
    const named = NAME_LINE.exec(stripComment(raw));
    if (named) {
      const n = named[1] ?? '';
      if (name !== undefined) errors.push(located(line, 1, 'name', 'the rule is named twice'));
      else if (!RULE_NAME.test(n))
        errors.push(
          located(line, 1, 'name', `'${n}' is not a rule name: letters, digits, _ and -, up to 24`),
        );
      else name = n;
      return;
    }
    const s = split(raw, line);
    if (isError(s)) errors.push(s);
    else splits.push(s);
  });
  const spec = checkLines(splits, errors, rawLines.length);
  if (errors.length > 0) return { rule: undefined, errors };
  const full: RuleSpec = { ...spec, name: name ?? 'custom', doc };
  return {
    rule: {
      ...full,
      rule: buildRule(full),
      defaults: Object.fromEntries(full.hypers.map((h) => [h.name, h.value])),
    },
    errors: [],
  };
};

/**
 * The canonical text of a rule: doc comments, name, hyperparameters, states, then the body in
 * order, each formula as it was typed. `parseRule(ruleToText(r))` gives the same rule.
 */
export const ruleToText = (r: RuleSpec): string =>
  [
    ...r.doc.map((d) => (d === '' ? '#' : `# ${d}`)),
    `name ${r.name}`,
    ...r.hypers.map((h) => `hyper ${h.name} = ${String(h.value)}`),
    ...r.states.map((s) => `state ${s.name} = ${s.source}`),
    ...r.body.map((b) => `${b.kind === 'let' ? 'let ' : ''}${b.name} = ${b.source}`),
  ].join('\n');
