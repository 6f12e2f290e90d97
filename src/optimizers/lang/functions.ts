import type { FnName, Ops } from '../ops.ts';
import { fnNames } from '../ops.ts';

/** The functions a formula may call, each with its arity and how it maps onto `Ops`. */
interface FnSpec {
  /** Fewest arguments; `max` folds any number from 2 up. */
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly apply: <T>(o: Ops<T>, args: readonly T[]) => T;
}

const unary = (name: FnName): FnSpec => ({
  minArgs: 1,
  maxArgs: 1,
  apply: (o, [a]) => o.fn(name, first(a)),
});

const first = <T>(a: T | undefined): T => {
  if (a === undefined) throw new Error('missing argument after arity check');
  return a;
};

export const functions: ReadonlyMap<string, FnSpec> = new Map<string, FnSpec>([
  ...fnNames.map((n): [string, FnSpec] => [n, unary(n)]),
  ['sign', { minArgs: 1, maxArgs: 1, apply: (o, [a]) => o.sign(first(a)) }],
  [
    'max',
    {
      minArgs: 2,
      maxArgs: 8,
      apply: (o, [a, ...rest]) => rest.reduce((m, x) => o.max(m, x), first(a)),
    },
  ],
]);

/** Constants any formula may use. */
export const constants: ReadonlyMap<string, number> = new Map([
  ['pi', Math.PI],
  ['e', Math.E],
]);
