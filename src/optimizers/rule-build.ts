import type { Expr } from './lang/ast.ts';
import { evaluateExpr } from './lang/evaluate.ts';
import type { Ops } from './ops.ts';
import type { Named, StepInput, UpdateRule } from './rule.ts';
import type { BodyLine, RuleSpec } from './rule-spec.ts';

/** Where a name in a body line gets its value. */
type Binding =
  | { readonly from: 'old' | 'new'; readonly slot: string }
  | { readonly from: 'let'; readonly index: number };

const inputValue = <T>(input: StepInput<string, T>, name: string): T | undefined => {
  if (name === 'param') return input.param;
  if (name === 'grad') return input.grad;
  if (name === 'step') return input.step;
  return input.hyper[name];
};

/**
 * The slots and `let`s visible at each body line (inputs and hyperparameters are visible
 * everywhere): each slot's value before
 * the step until the line that updates it and its new value after, and the `let`s above.
 */
const scopes = (spec: RuleSpec): ReadonlyMap<string, Binding>[] => {
  let scope = new Map<string, Binding>(
    spec.states.map((s) => [s.name, { from: 'old', slot: s.name }]),
  );
  return spec.body.map((line, index) => {
    const here = scope;
    scope = new Map(scope);
    if (line.kind === 'slot') scope.set(line.name, { from: 'new', slot: line.name });
    if (line.kind === 'let') scope.set(line.name, { from: 'let', index });
    return here;
  });
};

/**
 * Evaluates body lines on demand: each `let` at most once per step, and only when a formula
 * needs it, so no unused tensor is made and formula text repeats only what is used.
 */
const evaluator = <T>(
  o: Ops<T>,
  body: readonly BodyLine[],
  bindings: readonly ReadonlyMap<string, Binding>[],
  input: StepInput<string, T>,
  value: (b: Binding & { from: 'old' | 'new' }) => T | undefined,
) => {
  const lets = new Map<number, T>();
  const run = (index: number): T => {
    const line = body[index];
    const scope = bindings[index];
    if (!line || !scope) throw new Error(`no body line ${index}`);
    return evaluateExpr(o, line.expr, (name) => {
      const b = scope.get(name);
      if (b === undefined) return inputValue(input, name);
      if (b.from === 'let') {
        const known = lets.get(b.index);
        if (known !== undefined) return known;
        const v = run(b.index);
        lets.set(b.index, v);
        return v;
      }
      return value(b);
    });
  };
  return run;
};

const initial = <T>(o: Ops<T>, expr: Expr, input: StepInput<string, T>): T =>
  evaluateExpr(o, expr, (name) => inputValue(input, name));

/** Turns a checked rule text into the `UpdateRule` every interpreter runs. */
export const buildRule = (spec: RuleSpec): UpdateRule => {
  const bindings = scopes(spec);
  const paramIndex = spec.body.findIndex((l) => l.kind === 'param');
  const slotLines = spec.body.flatMap((l, i) => (l.kind === 'slot' ? [i] : []));
  return {
    name: spec.name,
    slots: spec.states.map((s) => s.name),
    hypers: spec.hypers.map((h) => h.name),
    initState: (o, input) =>
      Object.fromEntries(spec.states.map((s) => [s.name, initial(o, s.expr, input)])),
    nextState: <T>(o: Ops<T>, input: StepInput<string, T>, state: Named<string, T>) => {
      const next = new Map<string, T>();
      const run = evaluator(o, spec.body, bindings, input, (b) =>
        b.from === 'old' ? state[b.slot] : next.get(b.slot),
      );
      for (const i of slotLines) {
        const line = spec.body[i];
        if (line) next.set(line.name, run(i));
      }
      return Object.fromEntries(next);
    },
    nextParam: <T>(
      o: Ops<T>,
      input: StepInput<string, T>,
      state: Named<string, T>,
      next: Named<string, T>,
    ) =>
      evaluator(o, spec.body, bindings, input, (b) =>
        b.from === 'old' ? state[b.slot] : next[b.slot],
      )(paramIndex),
  };
};
