/** A file whose contents are not what they should be; the message names the file and the fault. */
export class DataFileError extends Error {
  override name = 'DataFileError';
}

export interface IdxArray {
  readonly shape: readonly number[];
  readonly data: Uint8Array;
}

/**
 * Parses an (uncompressed) IDX file of unsigned bytes: magic `0x00 0x00 0x08 rank`, `rank`
 * big-endian uint32 dimensions, then the data. Checks the expected rank and length.
 */
export const parseIdx = (bytes: Uint8Array, name: string, rank: number): IdxArray => {
  if (bytes.length < 4 + 4 * rank)
    throw new DataFileError(`${name}: ${bytes.length} bytes is too short for an IDX header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(0) !== 0 || bytes[2] !== 0x08) {
    throw new DataFileError(
      `${name}: not an IDX file of unsigned bytes (magic ${Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ')})`,
    );
  }
  if (bytes[3] !== rank)
    throw new DataFileError(
      `${name}: expected ${rank} dimensions, the header says ${bytes[3] ?? '?'}`,
    );
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const offset = 4 + 4 * rank;
  const size = shape.reduce((a, b) => a * b, 1);
  if (bytes.length - offset !== size) {
    throw new DataFileError(
      `${name}: header promises ${shape.join('×')} = ${size} bytes of data, the file has ${bytes.length - offset} (truncated or corrupt)`,
    );
  }
  return { shape, data: bytes.subarray(offset) };
};
