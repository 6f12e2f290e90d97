import type { Comparison } from '../ops.ts';

/** Where a piece of a formula starts: a 0-based character offset into the formula text. */
export interface At {
  readonly at: number;
}

export type BinaryOp = '+' | '-' | '*' | '/' | '^';

/** A parsed formula: arithmetic on numbers and names, whitelisted calls and one conditional form. */
export type Expr =
  | (At & { readonly kind: 'num'; readonly value: number })
  | (At & { readonly kind: 'name'; readonly name: string })
  | (At & { readonly kind: 'neg'; readonly arg: Expr })
  | (At & {
      readonly kind: 'bin';
      readonly op: BinaryOp;
      readonly left: Expr;
      readonly right: Expr;
    })
  | (At & { readonly kind: 'call'; readonly fn: string; readonly args: readonly Expr[] })
  | (At & {
      readonly kind: 'cond';
      readonly op: Comparison;
      readonly left: Expr;
      readonly right: Expr;
      readonly then: Expr;
      readonly otherwise: Expr;
    });

/** Every name a formula refers to (not the functions it calls), with where each use starts. */
export const namesIn = (e: Expr): { name: string; at: number }[] => {
  switch (e.kind) {
    case 'num':
      return [];
    case 'name':
      return [{ name: e.name, at: e.at }];
    case 'neg':
      return namesIn(e.arg);
    case 'bin':
      return [...namesIn(e.left), ...namesIn(e.right)];
    case 'call':
      return e.args.flatMap(namesIn);
    case 'cond':
      return [e.left, e.right, e.then, e.otherwise].flatMap(namesIn);
  }
};
