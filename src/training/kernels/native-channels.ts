import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { KernelKit } from './kernel-kit.ts';

/**
 * BatchNorm's per-channel passes run by native code in place on the wasm heap (Node only:
 * `native/channels.cc`). x and dy are NHWC activations (the channel axis last); the per-channel
 * vectors have one entry per channel. Each reads its activations once.
 */
export interface NativeChannelOps {
  /** out[k] = Σ (x − shift_k), or Σ (x − shift_k)² with `square` (shift null: 0). */
  channelSums(
    x: Float32Array,
    shift: Float32Array | null,
    square: boolean,
    out: Float32Array,
  ): void;
  /** out[k] = Σ dy, out[c + k] = Σ dy·(x − shift_k). */
  channelDot(dy: Float32Array, x: Float32Array, shift: Float32Array, out: Float32Array): void;
  /** out = a_k·dy + b_k·(x − shift_k) + d_k; without dy (and a), b_k·(x − shift_k) + d_k. */
  affine2(
    dy: Float32Array | null,
    x: Float32Array,
    a: Float32Array | null,
    b: Float32Array,
    d: Float32Array,
    shift: Float32Array,
    out: Float32Array,
  ): void;
}

/** The kernels' names: gradsheet's own, registered on wasm only where the native code loaded. */
const SUMS = 'GradsheetChannelSums';
const DOT = 'GradsheetChannelDot';
const AFFINE2 = 'GradsheetAffine2';

const channels = (t: TensorInfo): number => t.shape.at(-1) ?? 1;

/** A wasm kernel that allocates one output of `shape` and fills it with `fill`. */
const oneOutput = (
  kernelName: string,
  shape: (inputs: Record<string, TensorInfo>) => readonly number[],
  fill: (
    view: (t: TensorInfo) => Float32Array,
    inputs: Record<string, TensorInfo>,
    out: Float32Array,
    attrs: object,
  ) => void,
): KernelConfig => ({
  kernelName,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) =>
    KernelKit.run(backend, 'wasm', (kit) => {
      const ins = inputs as Record<string, TensorInfo>;
      const out = kit.output(shape(ins));
      fill((t) => kit.view(t), ins, kit.view(out), attrs ?? {});
      return out;
    }),
});

const input = (inputs: Record<string, TensorInfo>, name: string): TensorInfo => {
  const t = inputs[name];
  if (!t) throw new Error(`native channel op: no input '${name}'`);
  return t;
};

/** The three kernels for tfjs's wasm backend, each a single native pass. */
export const nativeChannelKernels = (native: NativeChannelOps): KernelConfig[] => [
  oneOutput(
    SUMS,
    (ins) => [channels(input(ins, 'x'))],
    (view, ins, out, attrs) => {
      const shift = ins.shift;
      native.channelSums(
        view(input(ins, 'x')),
        shift ? view(shift) : null,
        (attrs as { square?: boolean }).square === true,
        out,
      );
    },
  ),
  oneOutput(
    DOT,
    (ins) => [2, channels(input(ins, 'x'))],
    (view, ins, out) => {
      native.channelDot(
        view(input(ins, 'dy')),
        view(input(ins, 'x')),
        view(input(ins, 'shift')),
        out,
      );
    },
  ),
  oneOutput(
    AFFINE2,
    (ins) => input(ins, 'x').shape,
    (view, ins, out) => {
      const { dy, a } = ins;
      native.affine2(
        dy ? view(dy) : null,
        view(input(ins, 'x')),
        a ? view(a) : null,
        view(input(ins, 'b')),
        view(input(ins, 'd')),
        view(input(ins, 'shift')),
        out,
      );
    },
  ),
];

/** Whether the current backend has the native channel passes (Node's wasm, where they loaded). */
export const hasNativeChannelOps = (): boolean =>
  (tf.getKernel(SUMS, tf.getBackend()) as KernelConfig | undefined) !== undefined;

/** Σ (x − shift) per channel, or Σ (x − shift)² with `square`, in one native pass. */
export const nativeChannelSums = (
  x: tf.Tensor,
  shift: tf.Tensor1D | null,
  square: boolean,
): tf.Tensor1D =>
  tf.engine().runKernel<tf.Tensor1D>(SUMS, shift ? { x, shift } : { x }, { square });

/** [Σ dy, Σ dy·(x − shift)] per channel, as a [2, c] tensor, in one native pass. */
export const nativeChannelDot = (dy: tf.Tensor, x: tf.Tensor, shift: tf.Tensor1D): tf.Tensor2D =>
  tf.engine().runKernel<tf.Tensor2D>(DOT, { dy, x, shift });

/**
 * a·dy + b·(x − shift) + d per channel (without dy: b·(x − shift) + d), in one native pass; x −
 * shift is taken first, so a mean far from 0 costs no precision.
 */
export const nativeAffine2 = (
  dy: tf.Tensor | null,
  x: tf.Tensor,
  a: tf.Tensor1D | null,
  b: tf.Tensor1D,
  d: tf.Tensor1D,
  shift: tf.Tensor1D,
): tf.Tensor =>
  tf.engine().runKernel(AFFINE2, dy && a ? { dy, x, a, b, d, shift } : { x, b, d, shift });
