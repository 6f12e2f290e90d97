import { describe, expect, it } from 'vitest';
import { isRun, newRun } from '../../src/app/train/runs.ts';
import { DEFAULT_CONFIG } from '../../src/training/run.ts';

describe('a run record read back from IndexedDB', () => {
  const run = newRun(DEFAULT_CONFIG, 'wasm', 0);
  it('is shown when it has what the run table reads', () => {
    expect(isRun(JSON.parse(JSON.stringify(run)))).toBe(true);
  });
  it.each([
    ['nothing', null],
    ['a string', 'run-1'],
    ['no config', { ...run, config: undefined }],
    ['epochs as text', { ...run, config: { ...run.config, epochs: '5' } }],
    ['no members', { ...run, members: 3 }],
    ['a member without logs', { ...run, members: [{ batchLosses: [] }] }],
  ])('is set aside when damaged: %s', (_, value) => {
    expect(isRun(value)).toBe(false);
  });
});
