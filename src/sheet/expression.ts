import { derivative, parse } from 'mathjs';
import type { MathNode } from 'mathjs';
import type { FnName, Ops } from '../optimizers/index.ts';
import { fnNames } from '../optimizers/index.ts';
import { InputError } from './errors.ts';

/** The regression the sheet fits: a model of x with parameters a and b, and a loss of pred and y. */
export interface ModelSpec {
  readonly model: string;
  readonly loss: string;
}

/** The workbook's: y = a·x + b, squared error. */
export const workbookModel: ModelSpec = { model: 'a*x + b', loss: '(pred - y)^2' };

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
    if (n.type === 'SymbolNode') {
      const name = (n as unknown as { name: string }).name;
      if (!allowed.includes(name) && !(name in constants) && !isFnName(name)) {
        throw new InputError(
          `${what} uses '${name}'; it may use only ${allowed.join(', ')} (and pi, e)`,
        );
      }
    } else if (n.type === 'FunctionNode') {
      const name = (n as unknown as { fn: { name?: string } }).fn.name ?? '';
      if (!isFnName(name)) {
        throw new InputError(`${what}: unknown function '${name}'; use ${fnNames.join(', ')}`);
      }
    } else if (n.type === 'OperatorNode') {
      const fn = (n as unknown as { fn: string }).fn;
      if (!operators[fn])
        throw new InputError(
          `${what}: operator '${(n as unknown as { op: string }).op}' is not supported`,
        );
    } else if (n.type === 'ConstantNode') {
      if (typeof (n as unknown as { value: unknown }).value !== 'number') {
        throw new InputError(`${what}: only numbers are allowed as constants`);
      }
    } else if (n.type !== 'ParenthesisNode') {
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

/** Parses and differentiates a model and loss; throws `InputError` with a message for bad input. */
export const compileModel = (spec: ModelSpec): CompiledModel => {
  const model = parseExpr(spec.model, ['x', 'a', 'b'], 'model');
  const loss = parseExpr(spec.loss, ['pred', 'y'], 'loss');
  const used = new Set<string>();
  model.traverse((n) => {
    if (n.type === 'SymbolNode') used.add((n as unknown as { name: string }).name);
  });
  if (!used.has('a') && !used.has('b'))
    throw new InputError('model must use the parameters a and/or b');
  const lossUsed = new Set<string>();
  loss.traverse((n) => {
    if (n.type === 'SymbolNode') lossUsed.add((n as unknown as { name: string }).name);
  });
  if (!lossUsed.has('pred')) throw new InputError('loss must use pred (the model output)');
  return {
    spec,
    model,
    loss,
    dLossDPred: derivative(loss, 'pred'),
    dPred: { b: derivative(model, 'b'), a: derivative(model, 'a') },
  };
};

/** True for the constant 1, so `∂pred/∂b = 1` can reuse the ∂loss/∂pred column as the workbook does. */
export const isOne = (node: MathNode): boolean =>
  node.type === 'ConstantNode' && (node as unknown as { value: unknown }).value === 1;

/** Interprets an expression tree with any `Ops`: numbers, formula text or tensors. */
export const evaluate = <T>(o: Ops<T>, node: MathNode, env: Readonly<Record<string, T>>): T => {
  const rec = (n: MathNode): T => {
    switch (n.type) {
      case 'ConstantNode':
        return o.lit((n as unknown as { value: number }).value);
      case 'SymbolNode': {
        const name = (n as unknown as { name: string }).name;
        const v = env[name];
        if (v !== undefined) return v;
        const k = constants[name];
        if (k !== undefined) return o.lit(k);
        throw new InputError(`unknown symbol '${name}'`);
      }
      case 'ParenthesisNode':
        return rec((n as unknown as { content: MathNode }).content);
      case 'FunctionNode': {
        const f = n as unknown as { fn: { name: string }; args: MathNode[] };
        const arg = f.args[0];
        if (f.args.length !== 1 || !arg || !isFnName(f.fn.name)) {
          throw new InputError(`${f.fn.name} takes one argument`);
        }
        return o.fn(f.fn.name, rec(arg));
      }
      case 'OperatorNode': {
        const op = n as unknown as { fn: string; args: MathNode[] };
        const args = op.args.map(rec);
        const [first, ...rest] = args;
        if (first === undefined) throw new InputError('empty operator');
        if (op.fn === 'unaryMinus') return o.neg(first);
        if (op.fn === 'unaryPlus') return first;
        const bin: Readonly<Record<string, (a: T, b: T) => T>> = {
          add: o.add,
          subtract: o.sub,
          multiply: o.mul,
          divide: o.div,
          pow: o.pow,
        };
        const f = bin[op.fn];
        if (!f) throw new InputError(`unsupported operator ${op.fn}`);
        return rest.reduce(f, first);
      }
      default:
        throw new InputError(`unsupported expression ${n.toString()}`);
    }
  };
  return rec(node);
};
