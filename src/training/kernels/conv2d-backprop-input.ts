import type { Conv2DBackpropInputAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { backend_util } from '@tensorflow/tfjs';
import { KernelKit } from './kernel-kit.ts';

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
    const kit = new KernelKit(backend, backendName);
    try {
      const { inHeight: h, inWidth: w } = info;
      const rotated = kit.call('Reverse', { x: filter }, { dims: [0, 1] });
      const swapped = kit.call('Transpose', { x: rotated }, { perm: [0, 1, 3, 2] });
      const rows = phases(h, kh, sh, info.padInfo.top, oh);
      const cols = phases(w, kw, sw, info.padInfo.left, ow);
      /** The dx rows ≡ a, columns ≡ b (mod s): [b, q_a, q_b, ci]. */
      const phase = (r: Phase, c: Phase): TensorInfo => {
        if (r.taps === 0 || c.taps === 0)
          return kit.call('Fill', {}, { shape: [b, r.q, c.q, ci], value: 0, dtype: 'float32' });
        const taps =
          sh === 1 && sw === 1
            ? swapped
            : kit.call(
                'StridedSlice',
                { x: swapped },
                {
                  begin: [r.start, c.start, 0, 0],
                  end: [r.start + sh * (r.taps - 1) + 1, c.start + sw * (c.taps - 1) + 1, co, ci],
                  strides: [sh, sw, 1, 1],
                  beginMask: 0,
                  endMask: 0,
                  ellipsisMask: 0,
                  newAxisMask: 0,
                  shrinkAxisMask: 0,
                },
              );
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
      return kit.finish(dx);
    } catch (err) {
      kit.abandon();
      throw err;
    }
  },
});
