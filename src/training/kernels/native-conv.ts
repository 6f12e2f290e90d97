import type {
  Conv2DAttrs,
  Conv2DBackpropFilterAttrs,
  Conv2DBackpropInputAttrs,
  FusedConv2DAttrs,
  KernelConfig,
  TensorInfo,
} from '@tensorflow/tfjs';
import { backend_util } from '@tensorflow/tfjs';
import type { Attrs } from './kernel-kit.ts';
import { KernelKit } from './kernel-kit.ts';

import type { NativeChannelOps } from './native-channels.ts';

/**
 * Convolutions run by native code in place on the wasm heap (Node only: `native/conv.cc`, oneDNN),
 * with BatchNorm's per-channel passes (`native/channels.cc`).
 * Tensors are the wasm heap's own Float32Arrays: x, y, dy, dx NHWC, w and dw [kh, kw, ci, co].
 * `dims` is `nativeDims` of the convolution.
 */
export interface NativeConvs extends NativeChannelOps {
  /** What runs them, for headers and benchmarks, e.g. "oneDNN". */
  readonly name: string;
  forward(
    x: Float32Array,
    w: Float32Array,
    bias: Float32Array | null,
    y: Float32Array,
    dims: number[],
  ): void;
  backwardData(dy: Float32Array, w: Float32Array, dx: Float32Array, dims: number[]): void;
  backwardWeights(x: Float32Array, dy: Float32Array, dw: Float32Array, dims: number[]): void;
}

/** [n, h, w, ci, oh, ow, co, kh, kw, sh, sw, top, left, bottom, right]: what the native side reads. */
export const nativeDims = (info: backend_util.Conv2DInfo): number[] => [
  info.batchSize,
  info.inHeight,
  info.inWidth,
  info.inChannels,
  info.outHeight,
  info.outWidth,
  info.outChannels,
  info.filterHeight,
  info.filterWidth,
  info.strideHeight,
  info.strideWidth,
  info.padInfo.top,
  info.padInfo.left,
  info.padInfo.bottom,
  info.padInfo.right,
];

/**
 * The convolutions the native code takes: NHWC, float32, no dilation, non-negative padding, and
 * an output size oneDNN derives the same way (rounded down: tfjs's 'ceil' rounding can make one
 * more).
 */
const supported = (info: backend_util.Conv2DInfo, dataFormat: string): boolean => {
  const { top, left, bottom, right } = info.padInfo;
  const out = (size: number, k: number, s: number, before: number, after: number): number =>
    Math.floor((size + before + after - k) / s) + 1;
  return (
    dataFormat === 'NHWC' &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    Math.min(top, left, bottom, right) >= 0 &&
    out(info.inHeight, info.filterHeight, info.strideHeight, top, bottom) === info.outHeight &&
    out(info.inWidth, info.filterWidth, info.strideWidth, left, right) === info.outWidth
  );
};

const isFloat = (...ts: (TensorInfo | undefined)[]): boolean =>
  ts.every((t) => t === undefined || t.dtype === 'float32');

type Run = (kit: KernelKit, inputs: Record<string, TensorInfo>, attrs: Attrs) => TensorInfo | null;

/** A kernel that runs natively where `run` takes the call (non-null), else the original kernel. */
const withFallback = (original: KernelConfig, run: Run): KernelConfig => ({
  ...original,
  kernelFunc: (args) =>
    KernelKit.run(args.backend, original.backendName, (kit) =>
      run(kit, args.inputs as Record<string, TensorInfo>, args.attrs ?? {}),
    ) ?? original.kernelFunc(args),
});

const forward =
  (native: NativeConvs, fused: boolean): Run =>
  (kit, inputs, attrs) => {
    const { x, filter, bias } = inputs as { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo };
    const a = attrs as unknown as Partial<FusedConv2DAttrs> & Conv2DAttrs;
    const activation = a.activation ?? 'linear';
    if (fused && (activation !== 'linear' || inputs.preluActivationWeights)) return null;
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      a.strides,
      a.dilations,
      a.pad,
      a.dimRoundingMode,
    );
    if (!supported(info, a.dataFormat) || !isFloat(x, filter, bias)) return null;
    if (bias && bias.shape.length !== 1) return null;
    const y = kit.output(info.outShape);
    native.forward(
      kit.view(x),
      kit.view(filter),
      bias ? kit.view(bias) : null,
      kit.view(y),
      nativeDims(info),
    );
    return y;
  };

type Shape4 = [number, number, number, number];

/** A gradient kernel's convolution (no dilation), from x's and the filter's shapes. */
const gradientInfo = (
  xShape: readonly number[],
  filterShape: readonly number[],
  a: Conv2DBackpropInputAttrs | Conv2DBackpropFilterAttrs,
): backend_util.Conv2DInfo =>
  backend_util.computeConv2DInfo(
    xShape as Shape4,
    filterShape as Shape4,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );

const backwardData =
  (native: NativeConvs): Run =>
  (kit, inputs, attrs) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const a = attrs as unknown as Conv2DBackpropInputAttrs;
    const info = gradientInfo(a.inputShape, filter.shape, a);
    if (!supported(info, a.dataFormat) || !isFloat(dy, filter)) return null;
    const dx = kit.output(a.inputShape);
    native.backwardData(kit.view(dy), kit.view(filter), kit.view(dx), nativeDims(info));
    return dx;
  };

const backwardWeights =
  (native: NativeConvs): Run =>
  (kit, inputs, attrs) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const a = attrs as unknown as Conv2DBackpropFilterAttrs;
    const info = gradientInfo(x.shape, a.filterShape, a);
    if (!supported(info, a.dataFormat) || !isFloat(x, dy)) return null;
    const dw = kit.output(a.filterShape);
    native.backwardWeights(kit.view(x), kit.view(dy), kit.view(dw), nativeDims(info));
    return dw;
  };

/**
 * The wasm backend's convolution kernels, each run by `native` where it takes the call (NHWC,
 * float32, no dilation; a fused activation stays with the original) and by `original` otherwise.
 */
export const nativeConvKernel = (
  name: 'Conv2D' | 'FusedConv2D' | 'Conv2DBackpropInput' | 'Conv2DBackpropFilter',
  native: NativeConvs,
  original: KernelConfig,
): KernelConfig => {
  switch (name) {
    case 'Conv2D':
      return withFallback(original, forward(native, false));
    case 'FusedConv2D':
      return withFallback(original, forward(native, true));
    case 'Conv2DBackpropInput':
      return withFallback(original, backwardData(native));
    case 'Conv2DBackpropFilter':
      return withFallback(original, backwardWeights(native));
  }
};

/** The kernels `nativeConvKernel` replaces. */
export const NATIVE_CONV_KERNELS = [
  'Conv2D',
  'FusedConv2D',
  'Conv2DBackpropInput',
  'Conv2DBackpropFilter',
] as const;
