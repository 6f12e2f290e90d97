import type { backend_util } from '@tensorflow/tfjs';

/** A 2-D convolution's shapes (NHWC, no dilation), as the gradient kernels use them. */
export interface ConvGeometry {
  readonly batch: number;
  readonly inH: number;
  readonly inW: number;
  readonly inC: number;
  readonly outH: number;
  readonly outW: number;
  readonly outC: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  /** Padding before the first row and column. */
  readonly top: number;
  readonly left: number;
}

export const convGeometry = (info: backend_util.Conv2DInfo): ConvGeometry => ({
  batch: info.batchSize,
  inH: info.inHeight,
  inW: info.inWidth,
  inC: info.inChannels,
  outH: info.outHeight,
  outW: info.outWidth,
  outC: info.outChannels,
  kh: info.filterHeight,
  kw: info.filterWidth,
  sh: info.strideHeight,
  sw: info.strideWidth,
  top: info.padInfo.top,
  left: info.padInfo.left,
});
