import type { TensorInfo } from '@tensorflow/tfjs';
import type { ConvGeometry } from './conv-geometry.ts';
import type { KernelKit } from './kernel-kit.ts';

/** The filter [kh, kw, ci, co] as [1, co, kh·kw·ci]: the weights of `dy · Wᵀ`. */
const transposedFilter = (kit: KernelKit, filter: TensorInfo, g: ConvGeometry): TensorInfo => {
  const taps = g.kh * g.kw;
  const k = taps * g.inC;
  const out = kit.output([1, g.outC, k]);
  const src = kit.view(filter);
  const dst = kit.view(out);
  for (let t = 0; t < taps; t++)
    for (let i = 0; i < g.inC; i++) {
      const from = (t * g.inC + i) * g.outC;
      const to = t * g.inC + i;
      for (let o = 0; o < g.outC; o++) dst[o * k + to] = src[from + o] ?? 0;
    }
  return out;
};

/**
 * The input gradient as one GEMM and a scatter: cols = dy · Wᵀ ([b·oh·ow, kh·kw·ci], through
 * XNNPACK), then every column block is added where its tap reads x (col2im). It does exactly the
 * convolution's multiplications, so it wins where the polyphase convolutions would mostly
 * multiply padding (small maps at stride 2) or XNNPACK has few output channels to work with (the
 * gradient with respect to a 1-channel image). wasm only: it writes the heap.
 */
export const inputGradViaCol2im = (
  kit: KernelKit,
  dy: TensorInfo,
  filter: TensorInfo,
  g: ConvGeometry,
): TensorInfo => {
  const pixels = g.batch * g.outH * g.outW;
  const weights = transposedFilter(kit, filter, g);
  const rows = kit.call('Reshape', { x: dy }, { shape: [1, pixels, g.outC] });
  const cols = kit.call(
    'BatchMatMul',
    { a: rows, b: weights },
    { transposeA: false, transposeB: false },
  );
  const dx = kit.output([g.batch, g.inH, g.inW, g.inC]);
  const c = kit.view(cols);
  const d = kit.view(dx);
  d.fill(0);
  const ci = g.inC;
  let src = 0;
  for (let b = 0; b < g.batch; b++)
    for (let oy = 0; oy < g.outH; oy++)
      for (let ox = 0; ox < g.outW; ox++)
        for (let ky = 0; ky < g.kh; ky++) {
          const y = oy * g.sh + ky - g.top;
          for (let kx = 0; kx < g.kw; kx++, src += ci) {
            const x = ox * g.sw + kx - g.left;
            if (y < 0 || y >= g.inH || x < 0 || x >= g.inW) continue;
            const dst = ((b * g.inH + y) * g.inW + x) * ci;
            for (let i = 0; i < ci; i++) d[dst + i] = (d[dst + i] ?? 0) + (c[src + i] ?? 0);
          }
        }
  return dx;
};
