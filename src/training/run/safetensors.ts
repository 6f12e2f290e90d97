/**
 * The safetensors format (Hugging Face), written and read without tfjs: an 8-byte little-endian
 * header length N, N bytes of JSON (`{name: {dtype, shape, data_offsets: [begin, end]}}` plus an
 * optional `__metadata__` of strings), then the tensors' raw little-endian bytes, back to back,
 * offsets counted from the end of the header. The header is padded with spaces to a multiple of 8,
 * as the reference writer does, so the data starts aligned.
 */

export type SafeTensor =
  | { readonly dtype: 'F32'; readonly shape: readonly number[]; readonly data: Float32Array }
  | { readonly dtype: 'I64'; readonly shape: readonly number[]; readonly data: BigInt64Array };

export interface SafeTensorsFile {
  readonly tensors: ReadonlyMap<string, SafeTensor>;
  readonly metadata: Readonly<Record<string, string>>;
}

interface HeaderEntry {
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly data_offsets: readonly [number, number];
}

const BYTES = { F32: 4, I64: 8 } as const;

const count = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Encodes tensors (in the map's order) and string metadata as one safetensors file. */
export const encodeSafetensors = (
  tensors: ReadonlyMap<string, SafeTensor>,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array => {
  const header: Record<string, HeaderEntry | Readonly<Record<string, string>>> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of tensors) {
    if (name === '__metadata__')
      throw new Error('safetensors: "__metadata__" is not a tensor name');
    if (t.data.length !== count(t.shape))
      throw new Error(
        `safetensors: ${name} has ${t.data.length} values for shape [${t.shape.join(', ')}]`,
      );
    const bytes = t.data.length * BYTES[t.dtype];
    header[name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (new TextEncoder().encode(json).length % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const t of tensors.values()) {
    if (t.dtype === 'F32') {
      for (const v of t.data) {
        view.setFloat32(at, v, true);
        at += 4;
      }
    } else {
      for (const v of t.data) {
        view.setBigInt64(at, v, true);
        at += 8;
      }
    }
  }
  return out;
};

const isEntry = (v: unknown): v is HeaderEntry =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as HeaderEntry).dtype === 'string' &&
  Array.isArray((v as HeaderEntry).shape) &&
  Array.isArray((v as HeaderEntry).data_offsets);

/** Decodes a safetensors file (F32 and I64 tensors), checking that the offsets tile the data. */
export const decodeSafetensors = (bytes: Uint8Array): SafeTensorsFile => {
  if (bytes.length < 8) throw new Error('safetensors: shorter than its 8-byte header length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (8 + n > bytes.length) throw new Error(`safetensors: header of ${n} bytes runs past the end`);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<
    string,
    unknown
  >;
  const base = 8 + n;
  const tensors = new Map<string, SafeTensor>();
  let metadata: Record<string, string> = {};
  const spans: [number, number][] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = entry as Record<string, string>;
      continue;
    }
    if (!isEntry(entry)) throw new Error(`safetensors: bad header entry for ${name}`);
    const {
      dtype,
      shape,
      data_offsets: [begin, end],
    } = entry;
    if (dtype !== 'F32' && dtype !== 'I64')
      throw new Error(`safetensors: ${name} is ${dtype}; only F32 and I64 are read`);
    const size = count(shape);
    if (end - begin !== size * BYTES[dtype] || base + end > bytes.length)
      throw new Error(
        `safetensors: ${name}'s offsets [${begin}, ${end}] do not fit [${shape.join(', ')}]`,
      );
    spans.push([begin, end]);
    const raw = new DataView(bytes.buffer, bytes.byteOffset + base + begin, end - begin);
    tensors.set(
      name,
      dtype === 'F32'
        ? {
            dtype,
            shape,
            data: Float32Array.from({ length: size }, (_, i) => raw.getFloat32(4 * i, true)),
          }
        : {
            dtype,
            shape,
            data: BigInt64Array.from({ length: size }, (_, i) => raw.getBigInt64(8 * i, true)),
          },
    );
  }
  spans.sort((a, b) => a[0] - b[0]);
  let expected = 0;
  for (const [begin, end] of spans) {
    if (begin !== expected) throw new Error('safetensors: the tensors do not tile the data');
    expected = end;
  }
  if (base + expected !== bytes.length)
    throw new Error('safetensors: bytes left after the last tensor');
  return { tensors, metadata };
};
