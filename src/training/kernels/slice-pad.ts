import type { KernelConfig, PadV2Attrs, SliceAttrs, TensorInfo } from '@tensorflow/tfjs';
import { slice_util } from '@tensorflow/tfjs';
import { KernelKit } from './kernel-kit.ts';

/**
 * `Slice` and `PadV2` of a float32 NHWC activation along its spatial axes (batch and channels
 * whole, the pad value 0): one copy per image row of w·c contiguous floats, where wasm's own
 * kernels index every element. The stride-2 convolutions pad before a 'valid' convolution, as
 * PyTorch's padding 1 does (models/builder.ts), and the padding's gradient is the slice: about 6% of
 * a resnet-small step before. Anything else goes to `original`.
 */
const rowCopy = (
  kit: KernelKit,
  x: TensorInfo,
  outShape: readonly number[],
  /** Where x's rows start in the output (pad: ≥ 0) or the output's rows in x (slice). */
  top: number,
  left: number,
  into: 'out' | 'x',
): TensorInfo => {
  const [n = 0, h = 0, w = 0, c = 0] = x.shape;
  const [, oh = 0, ow = 0] = outShape;
  const out = kit.output(outShape);
  const src = kit.view(x);
  const dst = kit.view(out);
  if (into === 'out') {
    dst.fill(0);
    for (let b = 0; b < n; b++)
      for (let y = 0; y < h; y++) {
        const from = (b * h + y) * w * c;
        dst.set(src.subarray(from, from + w * c), ((b * oh + y + top) * ow + left) * c);
      }
  } else {
    for (let b = 0; b < n; b++)
      for (let y = 0; y < oh; y++) {
        const from = ((b * h + y + top) * w + left) * c;
        dst.set(src.subarray(from, from + ow * c), (b * oh + y) * ow * c);
      }
  }
  return out;
};

export const spatialSlice = (original: KernelConfig): KernelConfig => ({
  ...original,
  kernelFunc: (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { begin, size } = args.attrs as unknown as SliceAttrs;
    if (x.dtype !== 'float32' || x.shape.length !== 4) return original.kernelFunc(args);
    const [starts = [], sizes = []] = slice_util.parseSliceParams(x, begin, size);
    const whole = (axis: number) => starts[axis] === 0 && sizes[axis] === x.shape[axis];
    if (!whole(0) || !whole(3)) return original.kernelFunc(args);
    return KernelKit.run(args.backend, original.backendName, (kit) =>
      rowCopy(kit, x, sizes, starts[1] ?? 0, starts[2] ?? 0, 'x'),
    );
  },
});

export const spatialPad = (original: KernelConfig): KernelConfig => ({
  ...original,
  kernelFunc: (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { paddings, constantValue } = args.attrs as unknown as PadV2Attrs;
    const p = paddings;
    const none = (axis: number) => p[axis]?.[0] === 0 && p[axis][1] === 0;
    if (
      x.dtype !== 'float32' ||
      x.shape.length !== 4 ||
      constantValue !== 0 ||
      !none(0) ||
      !none(3)
    )
      return original.kernelFunc(args);
    const [top = 0, bottom = 0] = p[1] ?? [];
    const [left = 0, right = 0] = p[2] ?? [];
    if (Math.min(top, bottom, left, right) < 0) return original.kernelFunc(args);
    const [n = 0, h = 0, w = 0, c = 0] = x.shape;
    return KernelKit.run(args.backend, original.backendName, (kit) =>
      rowCopy(kit, x, [n, h + top + bottom, w + left + right, c], top, left, 'out'),
    );
  },
});
