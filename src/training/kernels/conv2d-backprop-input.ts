import type { Conv2DBackpropInputAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { backend_util } from '@tensorflow/tfjs';
import { KernelKit } from './kernel-kit.ts';

/**
 * The input gradient of a 2-D convolution as an ordinary forward convolution, which the wasm
 * backend runs through XNNPACK (its own `Conv2DBackpropInput` is a scalar loop):
 *
 *   dx = conv2d(pad(zero-insert(dy, s)), rot180(W) with in/out channels swapped)
 *
 * `dy` gets s−1 zeros between its rows and columns (pad a unit axis, reshape, crop), then
 * `KH−1−pad_top` / `KW−1−pad_left` zeros before and what is left to reach H and W after.
 * NHWC, no forward dilation.
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
      let up = dy;
      if (sh > 1 || sw > 1) {
        // [b, oh, ow, co] → [b, oh, 1, ow, 1, co] → pad the unit axes to s → [b, oh·sh, ow·sw, co] → crop
        const r = kit.call('Reshape', { x: dy }, { shape: [b, oh, 1, ow, 1, co] });
        const p = kit.call(
          'PadV2',
          { x: r },
          {
            paddings: [
              [0, 0],
              [0, 0],
              [0, sh - 1],
              [0, 0],
              [0, sw - 1],
              [0, 0],
            ],
            constantValue: 0,
          },
        );
        const flat = kit.call('Reshape', { x: p }, { shape: [b, oh * sh, ow * sw, co] });
        up = kit.call(
          'Slice',
          { x: flat },
          { begin: [0, 0, 0, 0], size: [b, (oh - 1) * sh + 1, (ow - 1) * sw + 1, co] },
        );
      }
      const top = kh - 1 - info.padInfo.top;
      const left = kw - 1 - info.padInfo.left;
      const [, upH = 0, upW = 0] = up.shape;
      const bottom = info.inHeight + kh - 1 - top - upH;
      const right = info.inWidth + kw - 1 - left - upW;
      if (top < 0 || left < 0 || bottom < 0 || right < 0)
        throw new Error('Conv2DBackpropInput: unsupported padding');
      const rotated = kit.call('Reverse', { x: filter }, { dims: [0, 1] });
      const swapped = kit.call('Transpose', { x: rotated }, { perm: [0, 1, 3, 2] });
      const dx = kit.call(
        'Conv2D',
        { x: up, filter: swapped },
        {
          strides: [1, 1],
          pad: [
            [0, 0],
            [top, bottom],
            [left, right],
            [0, 0],
          ],
          dataFormat: 'NHWC',
          dilations: [1, 1],
        },
      );
      return kit.finish(dx);
    } catch (err) {
      kit.abandon();
      throw err;
    }
  },
});
