import type { TensorInfo } from '@tensorflow/tfjs';
import type { ConvGeometry } from './conv-geometry.ts';
import type { KernelKit } from './kernel-kit.ts';

/** Floats of dy per GEMM: its packed copy stays in the L2 cache while every row block reads it. */
const DY_CHUNK = 65536;
/** The padded grid may add this much to the GEMMs' work (28×28: 1.15, 14×14: 1.31, 7×7: 1.65). */
const MAX_GRID_OVERHEAD = 1.35;

/**
 * How a chunk's rows of A = im2col(x)ᵀ are laid out. `im2col`: one column per output pixel,
 * built element by element. `grid` (stride 1): one column per position of the input padded to
 * (oh + kh − 1) × (ow + kw − 1), so that every row is the channel's padded plane shifted by the
 * tap, one memcpy; dy sits on the same grid, zero where no output is. That multiplies the zeros
 * of the padding too, so it is used where the grid is not much larger than the output.
 */
interface Layout {
  readonly kind: 'im2col' | 'grid';
  /** Grid (or output) height and width: the columns per image are gh·gw. */
  readonly gh: number;
  readonly gw: number;
}

/** Exported for tests: which layout a convolution's filter gradient uses. */
export const layoutOf = (g: ConvGeometry): Layout => {
  const gh = g.outH + g.kh - 1;
  const gw = g.outW + g.kw - 1;
  return g.sh === 1 && g.sw === 1 && gh * gw <= MAX_GRID_OVERHEAD * g.outH * g.outW
    ? { kind: 'grid', gh, gw }
    : { kind: 'im2col', gh: g.outH, gw: g.outW };
};

/**
 * Images first…first+n of x [b, h, w, c] as channels-first planes [c][n][ph][pw], the image at
 * (dy, dx) inside each plane (the rest zero).
 */
const toPlanes = (
  x: Float32Array,
  g: ConvGeometry,
  first: number,
  n: number,
  ph: number,
  pw: number,
  dy: number,
  dx: number,
  out: Float32Array,
): void => {
  const { inC: c, inH: h, inW: w } = g;
  const plane = n * ph * pw;
  out.fill(0);
  let from = first * h * w * c;
  // rows and columns that fall outside the plane feed no output
  const rows = Math.min(h, ph - dy);
  const cols = Math.min(w, pw - dx);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++) {
      if (y >= rows) {
        from += w * c;
        continue;
      }
      let to = (b * ph + y + dy) * pw + dx;
      for (let xx = 0; xx < w; xx++, to++) {
        if (xx >= cols) {
          from += c;
          continue;
        }
        for (let i = 0; i < c; i++) out[i * plane + to] = x[from++] ?? 0;
      }
    }
};

/** A's rows on the padded grid: row (ky, kx, i) is plane i from offset ky·gw + kx. */
const gridRows = (a: Float32Array, planes: Float32Array, g: ConvGeometry, l: Layout, n: number) => {
  const cols = n * l.gh * l.gw;
  for (let ky = 0; ky < g.kh; ky++)
    for (let kx = 0; kx < g.kw; kx++) {
      const shift = ky * l.gw + kx;
      for (let i = 0; i < g.inC; i++) {
        const to = ((ky * g.kw + kx) * g.inC + i) * cols;
        const from = i * cols + shift;
        a.set(planes.subarray(from, (i + 1) * cols), to);
        a.fill(0, to + cols - shift, to + cols); // past the plane: dy is zero there
      }
    }
};

/** A's rows element by element: row (ky, kx, i), column (b, oy, ox) = x[b, oy·s+ky−top, ox·s+kx−left, i]. */
const im2colRows = (a: Float32Array, planes: Float32Array, g: ConvGeometry, n: number) => {
  const { kh, kw, inC: ci, outH: oh, outW: ow, inH: h, inW: w, sh, sw, top, left } = g;
  const cols = n * oh * ow;
  const plane = n * h * w;
  for (let ky = 0; ky < kh; ky++)
    for (let kx = 0; kx < kw; kx++) {
      // output columns whose tap lands inside the image
      const lo = Math.max(0, Math.ceil((left - kx) / sw));
      const hi = Math.min(ow, Math.floor((w - 1 + left - kx) / sw) + 1);
      for (let i = 0; i < ci; i++) {
        let to = ((ky * kw + kx) * ci + i) * cols;
        for (let b = 0; b < n; b++)
          for (let oy = 0; oy < oh; oy++) {
            const y = oy * sh + ky - top;
            if (y < 0 || y >= h) {
              for (let ox = 0; ox < ow; ox++) a[to++] = 0;
              continue;
            }
            let from = i * plane + (b * h + y) * w + kx - left + lo * sw;
            let ox = 0;
            for (; ox < lo; ox++) a[to++] = 0;
            for (; ox < hi; ox++, from += sw) a[to++] = planes[from] ?? 0;
            for (; ox < ow; ox++) a[to++] = 0;
          }
      }
    }
};

/**
 * The filter gradient as GEMMs over chunks of the batch: for each chunk, A = im2col(x)ᵀ
 * ([kh·kw·ci, columns], built here) times the chunk's dy ([columns, co], XNNPACK's weights),
 * summed over chunks in float64. The result [kh·kw·ci, co] is the filter's own layout. Chunks
 * keep the GEMM's K small: XNNPACK has no cache blocking over K, and one GEMM over the whole
 * batch (or the convolution trick, whose K is the same) streams dy from memory once per row
 * block. wasm only: it writes the heap.
 */
export const filterGradViaIm2col = (
  kit: KernelKit,
  x: TensorInfo,
  dy: TensorInfo,
  g: ConvGeometry,
): TensorInfo => {
  const { kh, kw, inC: ci, outC: co, outH: oh, outW: ow } = g;
  const l = layoutOf(g);
  const rows = kh * kw * ci;
  const perImage = l.gh * l.gw;
  const images = Math.max(1, Math.min(g.batch, Math.floor(DY_CHUNK / (perImage * co))));
  const [ph, pw] = l.kind === 'grid' ? [l.gh, l.gw] : [g.inH, g.inW];
  const planes = new Float32Array(ci * images * ph * pw);
  const sum = new Float64Array(rows * co);
  for (let first = 0; first < g.batch; first += images) {
    const n = Math.min(images, g.batch - first);
    const cols = n * perImage;
    const a = kit.output([1, rows, cols]);
    const d = kit.output([1, cols, co]);
    const av = kit.view(a);
    const dv = kit.view(d);
    const dys = kit.view(dy).subarray(first * oh * ow * co, (first + n) * oh * ow * co);
    const used = planes.subarray(0, ci * n * ph * pw);
    // on the grid each image sits at its padding offset; for im2col the planes are unpadded
    const [top, left] = l.kind === 'grid' ? [g.top, g.left] : [0, 0];
    toPlanes(kit.view(x), g, first, n, ph, pw, top, left, used);
    if (l.kind === 'grid') {
      gridRows(av, used, g, l, n);
      dv.fill(0);
      for (let r = 0; r < n * oh; r++) {
        const b = Math.floor(r / oh);
        const at = (b * l.gh + (r % oh)) * l.gw * co;
        dv.set(dys.subarray(r * ow * co, (r + 1) * ow * co), at);
      }
    } else {
      im2colRows(av, used, g, n);
      dv.set(dys);
    }
    const part = kit.call('BatchMatMul', { a, b: d }, { transposeA: false, transposeB: false });
    const pv = kit.view(part);
    for (let k = 0; k < sum.length; k++) sum[k] = (sum[k] ?? 0) + (pv[k] ?? 0);
    kit.free(part);
    kit.free(a);
    kit.free(d);
  }
  const dw = kit.output([kh, kw, ci, co]);
  kit.view(dw).set(sum);
  return dw;
};
