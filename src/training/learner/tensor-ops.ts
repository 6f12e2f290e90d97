import * as tf from '@tensorflow/tfjs';
import type { Comparison, FnName, Ops } from '../../optimizers/index.ts';

const fns: Readonly<Record<FnName, (x: tf.Tensor) => tf.Tensor>> = {
  sqrt: tf.sqrt,
  exp: tf.exp,
  log: tf.log,
  abs: tf.abs,
  sin: tf.sin,
  cos: tf.cos,
  tanh: tf.tanh,
};

const compare: Readonly<Record<Comparison, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor>> = {
  '<': tf.less,
  '<=': tf.lessEqual,
  '>': tf.greater,
  '>=': tf.greaterEqual,
  '==': tf.equal,
  '!=': tf.notEqual,
};

/** The values of the literals `lit` made, so that `pow(x, 2)` can be a square. */
const literals = new WeakMap<tf.Tensor, number>();

/** The tensor interpreter of the optimizer rules: the only optimizers ↔ tfjs adapter. Use inside `tf.tidy`. */
export const tensorOps: Ops<tf.Tensor> = {
  lit: (k) => {
    const t = tf.scalar(k);
    literals.set(t, k);
    return t;
  },
  add: (a, b) => tf.add(a, b),
  sub: (a, b) => tf.sub(a, b),
  mul: (a, b) => tf.mul(a, b),
  div: (a, b) => tf.div(a, b),
  // x² (the rules' `square`) as a multiply: wasm's Pow calls powf per element (AdamW's
  // squares took 29 ms of a resnet-small step)
  pow: (a, b) => (literals.get(b) === 2 ? tf.square(a) : tf.pow(a, b)),
  neg: (a) => tf.neg(a),
  fn: (name, a) => fns[name](a),
  sign: (a) => tf.sign(a),
  max: (a, b) => tf.maximum(a, b),
  // tf.where broadcasts the condition and both branches to one shape
  cond: (op, a, b, then, otherwise) => tf.where(compare[op](a, b), then, otherwise),
};
