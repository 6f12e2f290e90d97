import * as tf from '@tensorflow/tfjs';
import type { FnName, Ops } from '../optimizers/index.ts';

const fns: Readonly<Record<FnName, (x: tf.Tensor) => tf.Tensor>> = {
  sqrt: tf.sqrt,
  exp: tf.exp,
  log: tf.log,
  abs: tf.abs,
  sin: tf.sin,
  cos: tf.cos,
  tanh: tf.tanh,
};

/** The tensor interpreter of the optimizer rules: the only optimizers ↔ tfjs adapter. Use inside `tf.tidy`. */
export const tensorOps: Ops<tf.Tensor> = {
  lit: (k) => tf.scalar(k),
  add: (a, b) => tf.add(a, b),
  sub: (a, b) => tf.sub(a, b),
  mul: (a, b) => tf.mul(a, b),
  div: (a, b) => tf.div(a, b),
  pow: (a, b) => tf.pow(a, b),
  neg: (a) => tf.neg(a),
  fn: (name, a) => fns[name](a),
};
