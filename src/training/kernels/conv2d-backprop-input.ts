import type { Conv2DBackpropInputAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { backend_util } from '@tensorflow/tfjs';
import { inputGradViaCol2im } from './col2im.ts';
import { convGeometry } from './conv-geometry.ts';
import { KernelKit } from './kernel-kit.ts';

/** Below this many input channels XNNPACK's convolution is slow: GEMM and col2im instead. */
const FEW_CHANNELS = 8;
/** Polyphase convolutions that multiply this much more than the convolution itself (padding at small maps) lose to GEMM and col2im. */
const WASTE = 1.2;

/** One output phase of a strided input gradient, along one axis. */
interface Phase {
  /** How many dx rows (or columns) this phase holds: those at a, a+s, a+2s, … */
  readonly q: number;
  /** Taps of the kernel that reach this phase (0 when the kernel is smaller than the stride). */
  readonly taps: number;
  /** Where those taps start in the rotated kernel, stepping by s. */
  readonly start: number;
  /** Zeros before and after dy, and where the phase's rows begin in the convolution's output. */
  readonly before: number;
  readonly after: number;
  readonly first: number;
}

/**
 * Polyphase plan along one axis of length n (dx), kernel k, stride s, padding p before,
 * dy length o: dx[s·q + a] = Σ_t dy[q + c − t] · w[k0 + s·t] with k0 = (a + p) mod s,
 * c = (a + p − k0) / s, which is an ordinary stride-1 correlation of dy with the taps reversed.
 */
const phases = (n: number, k: number, s: number, p: number, o: number): Phase[] =>
  Array.from({ length: s }, (_, a) => {
    const q = Math.ceil((n - a) / s);
    const k0 = (a + p) % s;
    const taps = k0 < k ? Math.ceil((k - k0) / s) : 0;
    const off = (a + p - k0) / s - (taps - 1);
    const before = Math.max(0, -off);
    const first = off + before;
    const after = Math.max(0, first + q + taps - 1 - before - o);
    // In the kernel rotated by 180°, w[k0 + s·(taps−1−u)] sits at k−1−k0−s·(taps−1) + s·u.
    return { q, taps, start: k - 1 - k0 - s * (taps - 1), before, after, first };
  });

/**
 * Which way an input gradient goes: polyphase convolutions, unless they would multiply much
 * more than the convolution does (`macs`, per pair of channels) or the input has few channels.
 */
const inputGradRoute = (
  rows: readonly Phase[],
  cols: readonly Phase[],
  macs: number,
  inChannels: number,
): 'phases' | 'col2im' => {
  const phaseMacs = rows.reduce(
    (sum, r) => sum + cols.reduce((t, c) => t + r.q * c.q * r.taps * c.taps, 0),
    0,
  );
  return inChannels < FEW_CHANNELS || phaseMacs > WASTE * macs ? 'col2im' : 'phases';
};

/** The route `Conv2DBackpropInput` takes on wasm for these shapes (for tests and profiles). */
export const inputGradRouteFor = (
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  stride: number,
  pad: 'same' | 'valid' | number,
): 'phases' | 'col2im' => {
  const [kh, kw, ci] = filterShape;
  const info = backend_util.computeConv2DInfo(xShape, filterShape, stride, 1, pad);
  return inputGradRoute(
    phases(info.inHeight, kh, info.strideHeight, info.padInfo.top, info.outHeight),
    phases(info.inWidth, kw, info.strideWidth, info.padInfo.left, info.outWidth),
    info.outHeight * info.outWidth * kh * kw,
    ci,
  );
};

/**
 * The taps of one output phase, in the kernel rotated by 180° with its channels swapped:
 * [taps_r, taps_c, co, ci], written in place (wasm's StridedSlice and Reverse are scalar loops
 * that cost more than the convolutions they feed, on a 3×3×256×256 filter).
 */
const phaseFilter = (
  kit: KernelKit,
  filter: TensorInfo,
  r: Phase,
  c: Phase,
  sh: number,
  sw: number,
): TensorInfo => {
  const [kh, kw, ci, co] = filter.shape as [number, number, number, number];
  const out = kit.output([r.taps, c.taps, co, ci]);
  const src = kit.view(filter);
  const dst = kit.view(out);
  let to = 0;
  for (let u = 0; u < r.taps; u++) {
    const ky = kh - 1 - (r.start + sh * u);
    for (let v = 0; v < c.taps; v++) {
      const base = (ky * kw + kw - 1 - (c.start + sw * v)) * ci * co;
      for (let o = 0; o < co; o++)
        for (let i = 0; i < ci; i++) dst[to++] = src[base + i * co + o] ?? 0;
    }
  }
  return out;
};

/**
 * The input gradient of a 2-D convolution as ordinary forward convolutions, which the wasm
 * backend runs through XNNPACK (its own `Conv2DBackpropInput` is a scalar loop). At stride 1:
 *
 *   dx = conv2d(pad(dy), rot180(W) with in/out channels swapped)
 *
 * At stride s, inserting s−1 zeros between dy's rows and columns would make s²−1 of every s²
 * multiplications zeros. Instead each of the s² phases of dx (rows ≡ a, columns ≡ b mod s) is
 * a stride-1 convolution of dy itself with the taps of the kernel that reach it, and the
 * phases are interleaved (pack, reshape, crop). NHWC, no forward dilation.
 */
export const conv2dBackpropInputViaConv = (backendName: string): KernelConfig => ({
  kernelName: 'Conv2DBackpropInput',
  backendName,
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } =
      attrs as unknown as Conv2DBackpropInputAttrs;
    if (dataFormat !== 'NHWC')
      throw new Error(`Conv2DBackpropInput on ${backendName}: only NHWC, got ${dataFormat}`);
    const [kh, kw, ci, co] = filter.shape as [number, number, number, number];
    const info = backend_util.computeConv2DInfo(
      inputShape,
      [kh, kw, ci, co],
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const [b, oh, ow] = dy.shape as [number, number, number, number];
    const { strideHeight: sh, strideWidth: sw } = info;
    return KernelKit.run(backend, backendName, (kit) => {
      const { inHeight: h, inWidth: w } = info;
      const rows = phases(h, kh, sh, info.padInfo.top, oh);
      const cols = phases(w, kw, sw, info.padInfo.left, ow);
      if (inputGradRoute(rows, cols, oh * ow * kh * kw, ci) === 'col2im')
        return inputGradViaCol2im(kit, dy, filter, convGeometry(info));
      /** The dx rows ≡ a, columns ≡ b (mod s): [b, q_a, q_b, ci]. */
      const phase = (r: Phase, c: Phase): TensorInfo => {
        if (r.taps === 0 || c.taps === 0)
          return kit.call('Fill', {}, { shape: [b, r.q, c.q, ci], value: 0, dtype: 'float32' });
        const taps = phaseFilter(kit, filter, r, c, sh, sw);
        const out = kit.call(
          'Conv2D',
          { x: dy, filter: taps },
          {
            strides: [1, 1],
            pad: [
              [0, 0],
              [r.before, r.after],
              [c.before, c.after],
              [0, 0],
            ],
            dataFormat: 'NHWC',
            dilations: [1, 1],
          },
        );
        const [, outH, outW] = out.shape;
        return r.first === 0 && c.first === 0 && outH === r.q && outW === c.q
          ? out
          : kit.call(
              'Slice',
              { x: out },
              { begin: [0, r.first, c.first, 0], size: [b, r.q, c.q, ci] },
            );
      };
      /** Pads the phases to a common length along `axis`, interleaves them, crops to `n`. */
      const interleave = (parts: TensorInfo[], axis: 1 | 2, n: number): TensorInfo => {
        if (parts.length === 1 && parts[0]) return parts[0];
        const full = Math.max(...parts.map((t) => t.shape[axis] ?? 0));
        const even = parts.map((t) => {
          const short = full - (t.shape[axis] ?? 0);
          if (short === 0) return t;
          const paddings = [
            [0, 0],
            [0, 0],
            [0, 0],
            [0, 0],
          ];
          paddings[axis] = [0, short];
          return kit.call('PadV2', { x: t }, { paddings, constantValue: 0 });
        });
        // wasm's Pack reads its inputs as a list.
        const packed = kit.call('Pack', even as unknown as Record<string, TensorInfo>, {
          axis: axis + 1,
        });
        const shape = [...(even[0]?.shape ?? [])];
        shape[axis] = full * parts.length;
        const flat = kit.call('Reshape', { x: packed }, { shape });
        const size = [...shape];
        size[axis] = n;
        return shape[axis] === n
          ? flat
          : kit.call('Slice', { x: flat }, { begin: [0, 0, 0, 0], size });
      };
      const dx = interleave(
        rows.map((r) =>
          interleave(
            cols.map((c) => phase(r, c)),
            2,
            w,
          ),
        ),
        1,
        h,
      );
      return dx;
    });
  },
});
