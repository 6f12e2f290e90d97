import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { getKernel } from '@tensorflow/tfjs';

/** tfjs does not export `NamedAttrMap`; this is the attrs parameter of a kernel function. */
export type Attrs = NonNullable<Parameters<KernelFunc>[0]['attrs']>;
type Backend = Parameters<KernelFunc>[0]['backend'];

/** What tfjs-backend-wasm offers for reading and writing tensors on its heap. */
interface WasmHeap {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): ArrayLike<number>;
}

/**
 * Runs other kernels of the same backend inside a kernel, and frees their intermediate
 * results afterwards: `call` keeps each result for disposal unless it is returned.
 */
export class KernelKit {
  readonly #temps: TensorInfo[] = [];

  constructor(
    readonly backend: Backend,
    readonly backendName: string,
  ) {}

  /**
   * Runs `body` with a new kit and frees every intermediate but the one it returns, also when it
   * throws. A null result frees them all and is passed on (the caller then runs another kernel).
   */
  static run<R extends TensorInfo | null>(
    backend: Backend,
    backendName: string,
    body: (kit: KernelKit) => R,
  ): R {
    const kit = new KernelKit(backend, backendName);
    try {
      const out = body(kit);
      if (out) kit.finish(out);
      else kit.abandon();
      return out;
    } catch (err) {
      kit.abandon();
      throw err;
    }
  }

  call(name: string, inputs: Record<string, TensorInfo>, attrs: object = {}): TensorInfo {
    const k = getKernel(name, this.backendName) as KernelConfig | undefined;
    if (!k) throw new Error(`backend ${this.backendName} has no ${name} kernel`);
    const out = k.kernelFunc({ inputs, backend: this.backend, attrs: attrs as Attrs });
    const one = Array.isArray(out) ? out[0] : out;
    if (!one) throw new Error(`${name} returned nothing`);
    this.#temps.push(one);
    return one;
  }

  /**
   * A new float32 tensor of `shape` on the wasm backend, to be written through `view`; it is
   * freed with the intermediates unless returned.
   */
  output(shape: readonly number[]): TensorInfo {
    const be = this.backend as unknown as WasmHeap;
    const out = be.makeOutput([...shape], 'float32');
    this.#temps.push(out);
    return out;
  }

  /**
   * The float32 data of a wasm tensor, in place on the wasm heap. Take views after the last
   * allocation: a growing heap detaches the earlier ones.
   */
  view(t: TensorInfo): Float32Array {
    return (this.backend as unknown as WasmHeap).typedArrayFromHeap(t) as Float32Array;
  }

  /** Frees one intermediate now (inside loops that would otherwise hold every iteration's). */
  free(t: TensorInfo): void {
    const i = this.#temps.indexOf(t);
    if (i >= 0) this.#temps.splice(i, 1);
    this.#dispose(t);
  }

  /** Frees every intermediate except `keep`. */
  finish(keep: TensorInfo): TensorInfo {
    for (const t of this.#temps) if (t !== keep) this.#dispose(t);
    return keep;
  }

  /** Frees every intermediate (on failure). */
  abandon(): void {
    for (const t of this.#temps) this.#dispose(t);
  }

  #dispose(t: TensorInfo): void {
    (this.backend as { disposeData(dataId: object): boolean }).disposeData(t.dataId);
  }
}
