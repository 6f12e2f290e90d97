import type { FormulaLine, TextError } from './lang/lines.ts';
import { badName, isError, located, parseLineFormula } from './lang/lines.ts';
import { LIMITS } from './lang/limits.ts';
import type { BodyLine, HyperLine, NamedLine, RuleSpec } from './rule-spec.ts';
import { RULE_INPUTS } from './rule-spec.ts';

/** One line of the text, split into keyword, name and formula before any formula is parsed. */
export interface Split {
  readonly line: number;
  readonly keyword: 'hyper' | 'state' | 'let' | 'set';
  readonly name: string;
  readonly nameColumn: number;
  readonly formula: string;
  /** 0-based column where the formula starts. */
  readonly formulaColumn: number;
}

/**
 * Checks a rule's lines and parses their formulas: names declared once and not reserved, the
 * limits, each slot updated once, one param line, and every name a formula uses visible where
 * it stands. Refusals are appended to `errors`; the lines that passed are returned.
 */
export const checkLines = (
  splits: readonly Split[],
  errors: TextError[],
  lineCount: number,
): Pick<RuleSpec, 'hypers' | 'states' | 'body'> => {
  const fail = (s: Split, column: number, msg: string) =>
    errors.push(
      located(s.line, column, s.keyword === 'set' ? s.name : `${s.keyword} ${s.name}`, msg),
    );
  const declared = new Map<string, Split>();
  for (const s of splits) {
    if (s.keyword === 'set') continue;
    const bad =
      badName(s.name) ?? (declared.has(s.name) ? `'${s.name}' is declared twice` : undefined);
    if (bad !== undefined) fail(s, s.nameColumn, bad);
    else declared.set(s.name, s);
  }
  const count = (k: Split['keyword']) => [...declared.values()].filter((s) => s.keyword === k);
  const limit = (k: 'hyper' | 'state' | 'let', max: number, what: string) => {
    const over = count(k)[max];
    if (over) fail(over, 1, `a rule may have at most ${max} ${what}`);
  };
  limit('hyper', LIMITS.hypers, 'hyperparameters');
  limit('state', LIMITS.slots, 'state slots');
  limit('let', LIMITS.lets, "'let' lines");
  const hyperNames = count('hyper').map((s) => s.name);
  const slotNames = count('state').map((s) => s.name);

  const hypers: HyperLine[] = [];
  const states: NamedLine[] = [];
  const body: BodyLine[] = [];
  const updated = new Set<string>();
  const letsAbove = new Set<string>();
  let paramSeen = false;
  const parse = (s: Split, allowed: readonly string[], why: (n: string) => string | undefined) => {
    const what =
      s.keyword === 'set'
        ? s.name === 'param'
          ? 'param'
          : `${s.name}'s update`
        : `${s.keyword} ${s.name}`;
    const r = parseLineFormula(s.formula, s.line, s.formulaColumn, what, new Set(allowed), why);
    if (isError(r)) {
      errors.push(r);
      return undefined;
    }
    return r;
  };
  for (const s of splits) {
    if (s.keyword !== 'set' && declared.get(s.name) !== s) continue;
    if (s.keyword === 'hyper') {
      const r = parse(s, [], () => 'a default must be a number');
      const value = r && numberOf(r);
      if (r && value === undefined) fail(s, s.formulaColumn + 1, 'a default must be a number');
      if (value !== undefined) hypers.push({ line: s.line, name: s.name, value });
    } else if (s.keyword === 'state') {
      const r = parse(s, [...RULE_INPUTS, ...hyperNames], (n) =>
        slotNames.includes(n) || declared.get(n)?.keyword === 'let'
          ? `a state's initial value may use only ${RULE_INPUTS.join(', ')} and the hyperparameters`
          : undefined,
      );
      if (r) states.push({ ...r, name: s.name });
    } else {
      if (s.keyword === 'set' && s.name !== 'param' && !slotNames.includes(s.name)) {
        fail(
          s,
          s.nameColumn,
          hyperNames.includes(s.name) || RULE_INPUTS.some((n) => n === s.name)
            ? `'${s.name}' cannot be updated; only state slots and param can`
            : `'${s.name}' is not a state slot: declare it first with 'state ${s.name} = 0'`,
        );
        continue;
      }
      if (s.keyword === 'set' && (s.name === 'param' ? paramSeen : updated.has(s.name))) {
        fail(s, s.nameColumn, `'${s.name}' is updated twice`);
        continue;
      }
      const inputs = paramSeen ? RULE_INPUTS.filter((n) => n !== 'param') : RULE_INPUTS;
      const r = parse(s, [...inputs, ...hyperNames, ...slotNames, ...letsAbove], (n) => {
        if (n === 'param')
          return "below the 'param = …' line, param would be the new parameter, which the state cannot use: move this line above it";
        if (declared.get(n)?.keyword === 'let') return `'${n}' is used above its 'let' line`;
        return undefined;
      });
      const kind = s.keyword === 'let' ? 'let' : s.name === 'param' ? 'param' : 'slot';
      if (kind === 'let') letsAbove.add(s.name);
      if (kind === 'param') paramSeen = true;
      if (kind === 'slot') updated.add(s.name);
      if (r) body.push({ ...r, name: s.name, kind });
    }
  }
  for (const n of slotNames) {
    const s = declared.get(n);
    if (s && !updated.has(n))
      fail(s, s.nameColumn, `state ${n} is never updated: add a line '${n} = …'`);
  }
  if (!paramSeen) errors.push(located(lineCount, 1, 'rule', "the rule has no 'param = …' line"));
  return { hypers, states, body };
};

const numberOf = (f: FormulaLine): number | undefined => {
  const e = f.expr;
  if (e.kind === 'num') return e.value;
  if (e.kind === 'neg' && e.arg.kind === 'num') return -e.arg.value;
  return undefined;
};
