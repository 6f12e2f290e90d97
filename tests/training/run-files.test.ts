import { describe, expect, it } from 'vitest';
import { checkCheckpointState } from '../../src/training/run/checkpoint.ts';
import { fnv1a } from '../../src/training/run/checksum.ts';
import { formatLoss, formatLr } from '../../src/training/run/format.ts';
import { DataFileError } from '../../src/training/data/idx.ts';
import { checkedSpecs } from '../../src/training/run/weights.ts';

const state = {
  epoch: 1,
  optimizer: { step: 4, hypers: [{ lr: 0.01 }], slots: [null] },
  logs: [{ epoch: 0, train: 'train', loss: 2, accuracy: 0.2, seconds: 1 }],
  batchLosses: [2.3, 2.1],
  records: { lr: [0.01, 0.009] },
};

describe('a checkpoint state read back', () => {
  it('passes when whole', () => {
    expect(checkCheckpointState(state, 'x')).toBe(state);
  });
  it.each([
    [null, 'it is not a checkpoint object'],
    [[], 'it is not a checkpoint object'],
    [{ ...state, epoch: -1 }, 'no epoch count'],
    [{ ...state, epoch: '1' }, 'no epoch count'],
    [{ ...state, optimizer: { step: 1 } }, 'no optimizer state'],
    [{ ...state, optimizer: { step: 1, hypers: [] } }, 'no optimizer slots'],
    [{ ...state, logs: [1] }, 'no epoch logs'],
    [{ ...state, batchLosses: {} }, 'no batch losses'],
    [{ ...state, records: { lr: 3 } }, 'no recorder values'],
  ])('names what is missing: %j', (value, problem) => {
    expect(() => checkCheckpointState(value, 'run/state.json')).toThrow(
      new DataFileError(`run/state.json: damaged (${problem})`),
    );
  });
});

describe('weights read back against their model.json', () => {
  const weights = new Float32Array([1, 2, 3, 4, 5, 6]).buffer;
  const json = {
    weightsManifest: [
      {
        paths: ['weights.bin'],
        weights: [
          { name: 'a', shape: [2, 2], dtype: 'float32' },
          { name: 'b', shape: [2], dtype: 'float32' },
        ],
      },
    ],
    weightsChecksum: { bytes: 24, fnv1a: fnv1a(new Uint8Array(weights)) },
  };
  it('returns the specs when length and checksum agree', () => {
    expect(checkedSpecs(json, weights, 'w').map((s) => s.name)).toEqual(['a', 'b']);
  });
  it('refuses a truncated file, saying how many bytes it holds and needs', () => {
    expect(() => checkedSpecs(json, weights.slice(0, 20), 'm/weights.bin')).toThrow(
      'm/weights.bin: the weights hold 20 bytes where the model needs 24',
    );
  });
  it('refuses changed bytes through the checksum', () => {
    const bad = weights.slice(0);
    const bytes = new Uint8Array(bad);
    bytes[5] = (bytes[5] ?? 0) ^ 1;
    expect(() => checkedSpecs(json, bad, 'm/weights.bin')).toThrow(
      'm/weights.bin: the weights are damaged (their checksum does not match)',
    );
  });
  it('refuses a model.json without a manifest', () => {
    expect(() => checkedSpecs({ modelTopology: {} }, weights, 'm.json')).toThrow(
      'm.json: not a tfjs model.json (it has no weightsManifest)',
    );
  });
});

describe('numbers as a user sees them', () => {
  it.each([
    [971941.7773875232, '9.719e+5'],
    [0.01, '0.01'],
    [1e-5, '0.00001'],
    [4e-8, '4e-8'],
    [0.0123456, '0.01235'],
    [1000, '1000'],
  ])('lr %f → %s', (v, s) => {
    expect(formatLr(v)).toBe(s);
  });
  it.each([
    [2.302585, '2.303'],
    [101829033984, '1.02e+11'],
    [9.82e24, '9.82e+24'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
  ])('loss %f → %s', (v, s) => {
    expect(formatLoss(v)).toBe(s);
  });
});
