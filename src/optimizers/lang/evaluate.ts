import type { Ops } from '../ops.ts';
import type { Expr } from './ast.ts';
import { constants, functions } from './functions.ts';

/**
 * Interprets a parsed formula with any `Ops`: numbers, formula text or tensors. `lookup` gives
 * the value of every name the formula uses. Names are checked when the text is parsed, so a
 * missing value here is a caller that left out a hyperparameter.
 */
export const evaluateExpr = <T>(o: Ops<T>, e: Expr, lookup: (name: string) => T | undefined): T => {
  const rec = (n: Expr): T => {
    switch (n.kind) {
      case 'num':
        return o.lit(n.value);
      case 'name': {
        const v = lookup(n.name);
        if (v !== undefined) return v;
        const k = constants.get(n.name);
        if (k !== undefined) return o.lit(k);
        throw new Error(`no value for '${n.name}': every hyperparameter needs one`);
      }
      case 'neg':
        return o.neg(rec(n.arg));
      case 'bin': {
        const a = rec(n.left);
        const b = rec(n.right);
        if (n.op === '+') return o.add(a, b);
        if (n.op === '-') return o.sub(a, b);
        if (n.op === '*') return o.mul(a, b);
        if (n.op === '/') return o.div(a, b);
        return o.pow(a, b);
      }
      case 'call': {
        const fn = functions.get(n.fn);
        if (!fn) throw new Error(`no function '${n.fn}' (functions are checked when parsing)`);
        return fn.apply(o, n.args.map(rec));
      }
      case 'cond':
        return o.cond(n.op, rec(n.left), rec(n.right), rec(n.then), rec(n.otherwise));
    }
  };
  return rec(e);
};
