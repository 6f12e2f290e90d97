import {
  derivative,
  isConstantNode,
  isFunctionNode,
  isOperatorNode,
  isParenthesisNode,
  isSymbolNode,
  parse,
} from 'mathjs/number';
import type { MathNode } from 'mathjs/number';
import type { FnName, Ops } from '../optimizers/index.ts';
import { fnNames } from '../optimizers/index.ts';
import { InputError } from './errors.ts';
import type { ModelSpec } from './workbook-model.ts';

export type { ModelSpec } from './workbook-model.ts';
export { workbookModel } from './workbook-model.ts';

export const PARAMS = ['b', 'a'] as const;
export type Param = (typeof PARAMS)[number];

/** Model and loss parsed, with the derivatives the gradient columns are built from. */
export interface CompiledModel {
  readonly spec: ModelSpec;
  readonly model: MathNode;
  readonly loss: MathNode;
  /** ∂loss/∂pred, in pred and y. */
  readonly dLossDPred: MathNode;
  /** ∂pred/∂p for each parameter, in x, a and b. */
  readonly dPred: Readonly<Record<Param, MathNode>>;
}

const constants: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E };
const operators: Readonly<Record<string, true>> = {
  add: true,
  subtract: true,
  multiply: true,
  divide: true,
  pow: true,
  unaryMinus: true,
  unaryPlus: true,
};

const isFnName = (name: string): name is FnName => (fnNames as readonly string[]).includes(name);

/** Checks that a tree uses only the given symbols and the supported operators and functions. */
const check = (node: MathNode, allowed: readonly string[], what: string): void => {
  node.traverse((n) => {
    if (isSymbolNode(n)) {
      const name = n.name;
      if (!allowed.includes(name) && !(name in constants) && !isFnName(name)) {
        throw new InputError(
          `${what} uses '${name}'; it may use only ${allowed.join(', ')} (and pi, e)`,
        );
      }
    } else if (isFunctionNode(n)) {
      const name = functionName(n.fn);
      if (!isFnName(name)) {
        throw new InputError(
          `${what}: unknown function '${name || n.fn.toString()}'; use ${fnNames.join(', ')}`,
        );
      }
    } else if (isOperatorNode(n)) {
      if (!operators[n.fn]) throw new InputError(`${what}: operator '${n.op}' is not supported`);
    } else if (isConstantNode(n)) {
      if (typeof n.value !== 'number') {
        throw new InputError(`${what}: only numbers are allowed as constants`);
      }
    } else if (!isParenthesisNode(n)) {
      throw new InputError(`${what}: '${n.toString()}' is not an arithmetic expression`);
    }
  });
};

const parseExpr = (text: string, allowed: readonly string[], what: string): MathNode => {
  let node: MathNode;
  try {
    node = parse(text);
  } catch (err) {
    throw new InputError(`${what} '${text}' does not parse: ${(err as Error).message}`);
  }
  check(node, allowed, what);
  return node;
};

/** A call's function name; '' where it is not a plain name (`a.b(x)`, `f(x)(y)`). */
const functionName = (fn: MathNode): string => (isSymbolNode(fn) ? fn.name : '');

const symbolsOf = (node: MathNode): Set<string> => {
  const names = new Set<string>();
  node.traverse((n) => {
    if (isSymbolNode(n)) names.add(n.name);
  });
  return names;
};

/**
 * ∂node/∂variable in the functions the interpreters have. mathjs writes tanh's derivative with
 * sech, which spreadsheets lack; it becomes 2/(exp(u) + exp(−u)).
 */
const differentiate = (node: MathNode, variable: string, what: string): MathNode => {
  const d = derivative(node, variable).transform((n) => {
    if (!isFunctionNode(n) || functionName(n.fn) !== 'sech') return n;
    const u = `(${n.args.map((arg) => arg.toString()).join(', ')})`;
    return parse(`2 / (exp${u} + exp(-${u}))`);
  });
  check(d, ['x', 'a', 'b', 'pred', 'y'], `the derivative of the ${what} by ${variable}`);
  return d;
};

/** Parses and differentiates a model and loss; throws `InputError` with a message for bad input. */
export const compileModel = (spec: ModelSpec): CompiledModel => {
  const model = parseExpr(spec.model, ['x', 'a', 'b'], 'model');
  const loss = parseExpr(spec.loss, ['pred', 'y'], 'loss');
  const used = symbolsOf(model);
  if (!used.has('a') && !used.has('b'))
    throw new InputError('model must use the parameters a and/or b');
  if (!symbolsOf(loss).has('pred')) throw new InputError('loss must use pred (the model output)');
  return {
    spec,
    model,
    loss,
    dLossDPred: differentiate(loss, 'pred', 'loss'),
    dPred: { b: differentiate(model, 'b', 'model'), a: differentiate(model, 'a', 'model') },
  };
};

/** True for the constant 1, so `∂pred/∂b = 1` can reuse the ∂loss/∂pred column as the workbook does. */
export const isOne = (node: MathNode): boolean => isConstantNode(node) && node.value === 1;

/** Interprets an expression tree with any `Ops`: numbers, formula text or tensors. */
export const evaluate = <T>(o: Ops<T>, node: MathNode, env: Readonly<Record<string, T>>): T => {
  const rec = (n: MathNode): T => {
    if (isConstantNode(n)) {
      if (typeof n.value !== 'number')
        throw new InputError('only numbers are allowed as constants');
      return o.lit(n.value);
    }
    if (isSymbolNode(n)) {
      const v = env[n.name];
      if (v !== undefined) return v;
      const k = constants[n.name];
      if (k !== undefined) return o.lit(k);
      throw new InputError(`unknown symbol '${n.name}'`);
    }
    if (isParenthesisNode(n)) return rec(n.content);
    if (isFunctionNode(n)) {
      const name = functionName(n.fn);
      const [arg, ...more] = n.args;
      if (!arg || more.length > 0 || !isFnName(name))
        throw new InputError(`${name} takes one argument`);
      return o.fn(name, rec(arg));
    }
    if (isOperatorNode(n)) {
      const [first, ...rest] = n.args.map(rec);
      if (first === undefined) throw new InputError('empty operator');
      if (n.fn === 'unaryMinus') return o.neg(first);
      if (n.fn === 'unaryPlus') return first;
      const bin: Readonly<Record<string, (a: T, b: T) => T>> = {
        add: o.add,
        subtract: o.sub,
        multiply: o.mul,
        divide: o.div,
        pow: o.pow,
      };
      const f = bin[n.fn];
      if (!f) throw new InputError(`unsupported operator ${n.fn}`);
      return rest.reduce(f, first);
    }
    throw new InputError(`unsupported expression ${n.toString()}`);
  };
  return rec(node);
};
