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
  /** out = a_k·dy + b_k·x + d_k. */
  affine2(
    dy: Float32Array,
    x: Float32Array,
    a: Float32Array,
    b: Float32Array,
    d: Float32Array,
    out: Float32Array,
  ): void;
}

/** The kernels' names: gradsheet's own, registered on wasm only where the native code loaded. */
const SUMS = 'GradsheetChannelSums';
const DOT = 'GradsheetChannelDot';
const AFFINE2 = 'GradsheetAffine2';

const channels = (t: TensorInfo): number => t.shape.at(-1) ?? 1;

/** The three kernels for tfjs's wasm backend, each a single native pass. */
export const nativeChannelKernels = (native: NativeChannelOps): KernelConfig[] => [
  {
    kernelName: SUMS,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, shift } = inputs as { x: TensorInfo; shift?: TensorInfo };
      const kit = new KernelKit(backend, 'wasm');
      const out = kit.output([channels(x)]);
      native.channelSums(
        kit.view(x),
        shift ? kit.view(shift) : null,
        (attrs as { square?: boolean }).square === true,
        kit.view(out),
      );
      return kit.finish(out);
    },
  },
  {
    kernelName: DOT,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const { dy, x, shift } = inputs as { dy: TensorInfo; x: TensorInfo; shift: TensorInfo };
      const kit = new KernelKit(backend, 'wasm');
      const out = kit.output([2, channels(x)]);
      native.channelDot(kit.view(dy), kit.view(x), kit.view(shift), kit.view(out));
      return kit.finish(out);
    },
  },
  {
    kernelName: AFFINE2,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const { dy, x, a, b, d } = inputs as Record<'dy' | 'x' | 'a' | 'b' | 'd', TensorInfo>;
      const kit = new KernelKit(backend, 'wasm');
      const out = kit.output(x.shape);
      native.affine2(
        kit.view(dy),
        kit.view(x),
        kit.view(a),
        kit.view(b),
        kit.view(d),
        kit.view(out),
      );
      return kit.finish(out);
    },
  },
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

/** a·dy + b·x + d per channel, in one native pass. */
export const nativeAffine2 = (
  dy: tf.Tensor,
  x: tf.Tensor,
  a: tf.Tensor1D,
  b: tf.Tensor1D,
  d: tf.Tensor1D,
): tf.Tensor => tf.engine().runKernel(AFFINE2, { dy, x, a, b, d });
