import * as tf from '@tensorflow/tfjs';
import { registerAvgPoolGradient } from '../kernels/avg-pool-gradient.ts';
import { BatchNorm } from './batch-norm.ts';
import { GeneralRelu } from './general-relu.ts';

// The ResBlocks' 2×2 pool at 7→4 has clipped windows, where tfjs's gradient was not PyTorch's.
registerAvgPoolGradient();

type Sym = tf.SymbolicTensor;

/** A top-level child of the model, as miniai's `summary` hooks them. */
export interface ModuleInfo {
  readonly label: string;
  readonly prefix: string;
  readonly input: Sym;
  readonly output: Sym;
}

export interface ConvOptions {
  readonly ks?: number;
  readonly stride?: number;
  readonly act?: boolean;
  readonly norm?: boolean;
  /** Every conv has a bias in the lessons (docs/lesson.md §2: the `bias=None` test never fires). */
  readonly bias?: boolean;
}

const apply = (layer: tf.layers.Layer, x: Sym | Sym[]): Sym => layer.apply(x) as Sym;

/**
 * Builds a functional tfjs model as a sequence of named modules, so each layer knows which
 * top-level child it belongs to (its name starts with the module's prefix).
 */
export class ModelBuilder {
  readonly modules: ModuleInfo[] = [];
  #prefix = '';
  #count = 0;

  #name(kind: string): string {
    return `${this.#prefix}_${kind}${this.#count++}`;
  }

  /** Runs `body` as one module; its layers are named after it. */
  module(label: string, x: Sym, body: (x: Sym) => Sym): Sym {
    this.#prefix = `m${this.modules.length}`;
    const out = body(x);
    this.modules.push({ label, prefix: this.#prefix, input: x, output: out });
    return out;
  }

  act(x: Sym): Sym {
    return apply(new GeneralRelu({ name: this.#name('act') }), x);
  }

  /**
   * miniai's `conv`: Conv2d(padding = ks//2) → BatchNorm → GeneralRelu. Strided convs pad
   * explicitly then convolve 'valid', so the windows sit where PyTorch's do.
   */
  conv(
    x: Sym,
    nf: number,
    { ks = 3, stride = 2, act = true, norm = true, bias = true }: ConvOptions = {},
  ): Sym {
    let y = x;
    const pad = Math.floor(ks / 2);
    if (stride > 1 && pad > 0)
      y = apply(tf.layers.zeroPadding2d({ padding: pad, name: this.#name('pad') }), y);
    y = apply(
      tf.layers.conv2d({
        filters: nf,
        kernelSize: ks,
        strides: stride,
        padding: stride > 1 ? 'valid' : 'same',
        useBias: bias,
        name: this.#name('conv'),
      }),
      y,
    );
    if (norm) y = this.batchNorm(y);
    return act ? this.act(y) : y;
  }

  /** BatchNorm with PyTorch's defaults (momentum 0.1 ↔ tfjs 0.9, ε 1e-5), as one fused op. */
  batchNorm(x: Sym): Sym {
    return apply(new BatchNorm({ momentum: 0.9, epsilon: 1e-5, name: this.#name('bn') }), x);
  }

  /** miniai's `ResBlock`: act(convs(x) + idconv(pool(x))), with BatchNorm inside (NB-final). */
  resBlock(
    x: Sym,
    ni: number,
    nf: number,
    { stride = 1, ks = 3 }: { stride?: number; ks?: number } = {},
  ): Sym {
    const a = this.conv(this.conv(x, nf, { ks, stride: 1 }), nf, { ks, stride, act: false });
    let id = x;
    if (stride !== 1)
      id = apply(
        tf.layers.averagePooling2d({
          poolSize: 2,
          strides: 2,
          padding: 'same',
          name: this.#name('pool'),
        }),
        id,
      );
    if (ni !== nf) id = this.conv(id, nf, { ks: 1, stride: 1, act: false, norm: false });
    return this.act(apply(tf.layers.add({ name: this.#name('add') }), [a, id]));
  }

  flatten(x: Sym): Sym {
    return apply(tf.layers.flatten({ name: this.#name('flat') }), x);
  }

  globalAvgPool(x: Sym): Sym {
    return apply(tf.layers.globalAveragePooling2d({ name: this.#name('gap') }), x);
  }

  linear(x: Sym, units: number, bias: boolean): Sym {
    return apply(tf.layers.dense({ units, useBias: bias, name: this.#name('linear') }), x);
  }

  /** Dropout; `spatial` drops whole channels (PyTorch's Dropout2d). */
  dropout(x: Sym, rate: number, spatial: boolean): Sym {
    const channels = x.shape.at(-1) ?? 1;
    const noiseShape = spatial ? ([null, 1, 1, channels] as unknown as number[]) : undefined;
    return apply(
      tf.layers.dropout({ rate, ...(noiseShape ? { noiseShape } : {}), name: this.#name('drop') }),
      x,
    );
  }
}
