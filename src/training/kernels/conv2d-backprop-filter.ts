import type {
  Conv2DBackpropFilterAttrs,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs';
import { backend_util, getKernel } from '@tensorflow/tfjs';

/** tfjs does not export `NamedAttrMap`; this is the attrs parameter of a kernel function. */
type Attrs = NonNullable<Parameters<KernelFunc>[0]['attrs']>;

type Backend = Parameters<KernelFunc>[0]['backend'] & { disposeData(dataId: object): boolean };

const kernel = (name: string, backendName: string): KernelFunc => {
  const k = getKernel(name, backendName) as KernelConfig | undefined;
  if (!k)
    throw new Error(
      `backend ${backendName} has no ${name} kernel, which the filter gradient needs`,
    );
  return k.kernelFunc;
};

/**
 * The filter gradient of a 2-D convolution, as a forward convolution, for backends that lack
 * `Conv2DBackpropFilter` (tfjs wasm):
 *
 *   dW[kh,kw,ci,co] = Σ_{b,i,j} x[b, i·s + kh − pad, j·s + kw − pad, ci] · dy[b,i,j,co]
 *
 * is the convolution of xᵀ = x as [ci, H, W, b] (ci plays the batch, b the channels) with
 * dyᵀ = dy as [oh, ow, b, co] (a filter of the output's size), stride 1, dilation = the forward
 * stride. The result [ci, kh, kw, co] is cropped to the filter size and transposed back. NHWC,
 * no forward dilation (our models use none).
 */
export const conv2dBackpropFilterViaConv = (backendName: string): KernelConfig => ({
  kernelName: 'Conv2DBackpropFilter',
  backendName,
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
      attrs as unknown as Conv2DBackpropFilterAttrs;
    if (dataFormat !== 'NHWC')
      throw new Error(`Conv2DBackpropFilter on ${backendName}: only NHWC, got ${dataFormat}`);
    const be = backend as Backend;
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const [kh, kw, ci, co] = filterShape;
    const H = info.inHeight;
    const W = info.inWidth;
    const extra = (k: number, out: number, s: number, size: number, before: number): number =>
      Math.max(0, k - 1 + (out - 1) * s + 1 - (size + before));
    const transpose = kernel('Transpose', backendName);
    const conv = kernel('Conv2D', backendName);
    const slice = kernel('Slice', backendName);
    const temps: TensorInfo[] = [];
    const keep = (t: TensorInfo | TensorInfo[]): TensorInfo => {
      const one = Array.isArray(t) ? t[0] : t;
      if (!one) throw new Error('kernel returned nothing');
      temps.push(one);
      return one;
    };
    try {
      const xt = keep(transpose({ inputs: { x }, backend, attrs: { perm: [3, 1, 2, 0] } }));
      const dyt = keep(transpose({ inputs: { x: dy }, backend, attrs: { perm: [1, 2, 0, 3] } }));
      const padBottom = extra(kh, info.outHeight, info.strideHeight, H, info.padInfo.top);
      const padRight = extra(kw, info.outWidth, info.strideWidth, W, info.padInfo.left);
      const full = keep(
        conv({
          inputs: { x: xt, filter: dyt },
          backend,
          attrs: {
            strides: [1, 1],
            pad: [
              [0, 0],
              [info.padInfo.top, padBottom],
              [info.padInfo.left, padRight],
              [0, 0],
            ],
            dataFormat: 'NHWC',
            dilations: [info.strideHeight, info.strideWidth],
            dimRoundingMode: undefined,
          } as unknown as Attrs,
        }),
      );
      const cropped =
        full.shape[1] === kh && full.shape[2] === kw
          ? full
          : keep(
              slice({
                inputs: { x: full },
                backend,
                attrs: { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] },
              }),
            );
      const out = transpose({ inputs: { x: cropped }, backend, attrs: { perm: [1, 2, 0, 3] } });
      return out;
    } finally {
      for (const t of temps) be.disposeData(t.dataId);
    }
  },
});
