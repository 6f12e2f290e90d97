import type { Expr } from './lang/ast.ts';
import { evaluateExpr } from './lang/evaluate.ts';
import type { TextError } from './lang/lines.ts';
import { badName, isError, located, parseLineFormula, stripComment } from './lang/lines.ts';
import { LIMITS } from './lang/limits.ts';
import type { Ops } from './ops.ts';
import { numberOps } from './ops.ts';
import type { Schedule } from './schedules.ts';

/**
 * What a schedule formula may use: `pct` (training progress, `step/total`, 0 at the first step),
 * `step` (optimizer steps already taken: 0 at the first step, as PyTorch's schedulers count),
 * `total` (steps in the whole run) and `lr` (the lr the user chose).
 */
export const SCHEDULE_INPUTS = ['pct', 'step', 'total', 'lr'] as const;

type InputName = (typeof SCHEDULE_INPUTS)[number];

export type ScheduleInput<T> = Readonly<Record<InputName, T>>;

const isInput = (name: string): name is InputName =>
  (SCHEDULE_INPUTS as readonly string[]).includes(name);

/** One line of a schedule text: `let x = …` or `target = …`. */
export interface ScheduleLine {
  readonly line: number;
  readonly kind: 'let' | 'target';
  readonly name: string;
  readonly source: string;
  readonly expr: Expr;
}

/** Schedules as formulas of training progress, for `lr` and any hyperparameter (`beta1`…). */
export interface ScheduleSet {
  readonly lines: readonly ScheduleLine[];
  /** The names scheduled, in order. */
  readonly targets: readonly string[];
}

export interface ParsedSchedules {
  /** Present exactly when `errors` is empty. */
  readonly schedules: ScheduleSet | undefined;
  readonly errors: readonly TextError[];
}

const LINE = /^(\s*)(?:(let)\s+)?([^\s=]+)\s*=/;

/**
 * Parses a schedule text: lines `lr = lr * (1 + cos(pi*pct)) / 2`, `beta1 = …` and
 * `let x = …` (an intermediate value, usable below it), with `#` comments. `targets` are the
 * names that may be scheduled (by default only `lr`); each may be scheduled once.
 */
export const parseSchedules = (
  text: string,
  targets: readonly string[] = ['lr'],
): ParsedSchedules => {
  if (text.length > LIMITS.textChars) {
    const msg = `the schedule is ${text.length} characters long; the limit is ${LIMITS.textChars}`;
    return { schedules: undefined, errors: [located(1, 1, 'schedule', msg)] };
  }
  const errors: TextError[] = [];
  const lines: ScheduleLine[] = [];
  const lets = new Set<string>();
  const done = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const body = stripComment(raw);
    if (body.trim() === '') return;
    const m = LINE.exec(body);
    if (!m) {
      errors.push(located(line, 1, 'line', `expected 'lr = formula' or 'let x = formula'`));
      return;
    }
    const [whole, lead = '', keyword, name = ''] = m;
    const column = whole.indexOf(name, lead.length + (keyword?.length ?? 0)) + 1;
    const kind = keyword === 'let' ? 'let' : 'target';
    const what = kind === 'let' ? `let ${name}` : `${name}'s schedule`;
    const refusal =
      kind === 'let'
        ? (badName(name) ?? (lets.has(name) ? `'${name}' is declared twice` : undefined))
        : !targets.includes(name)
          ? `'${name}' cannot be scheduled; schedule ${targets.join(', ')}`
          : done.has(name)
            ? `'${name}' is scheduled twice`
            : undefined;
    if (refusal !== undefined) {
      errors.push(located(line, column, what, refusal));
      return;
    }
    if (kind === 'let' && lets.size >= LIMITS.lets) {
      errors.push(located(line, 1, what, `a schedule may have at most ${LIMITS.lets} 'let' lines`));
      return;
    }
    const allowed = new Set<string>([...SCHEDULE_INPUTS, ...lets]);
    const r = parseLineFormula(body.slice(whole.length), line, whole.length, what, allowed);
    if (isError(r)) errors.push(r);
    else lines.push({ ...r, kind, name });
    if (kind === 'let') lets.add(name);
    else done.add(name);
  });
  if (errors.length > 0) return { schedules: undefined, errors };
  return { schedules: { lines, targets: [...done] }, errors: [] };
};

/** Every scheduled value at one point of training, with any `Ops` (numbers, formula text, tensors). */
export const evaluateSchedules = <T>(
  o: Ops<T>,
  set: ScheduleSet,
  input: ScheduleInput<T>,
): Readonly<Record<string, T>> => {
  const lets = new Map<string, T>();
  const out: Record<string, T> = {};
  const lookup = (name: string): T | undefined =>
    lets.get(name) ?? (isInput(name) ? input[name] : undefined);
  for (const l of set.lines) {
    const v = evaluateExpr(o, l.expr, lookup);
    if (l.kind === 'let') lets.set(l.name, v);
    else out[l.name] = v;
  }
  return out;
};

/**
 * One target as the project's `Schedule` (0-based step → value) for a run of `total` steps
 * and the user's `lr`; `pct` is `step/total`.
 */
export const toSchedule = (
  set: ScheduleSet,
  target: string,
  { total, lr }: { readonly total: number; readonly lr: number },
): Schedule => {
  if (!set.targets.includes(target)) throw new RangeError(`no schedule for '${target}'`);
  return (step) => {
    const v = evaluateSchedules(numberOps, set, { pct: step / total, step, total, lr })[target];
    if (v === undefined) throw new RangeError(`no schedule for '${target}'`);
    return v;
  };
};

/** The canonical text of a schedule set; `parseSchedules(schedulesToText(s))` gives it back. */
export const schedulesToText = (set: ScheduleSet): string =>
  set.lines.map((l) => `${l.kind === 'let' ? 'let ' : ''}${l.name} = ${l.source}`).join('\n');
