import { describe, expect, it } from 'vitest';
import type { RunRecord, RunStatus } from '../../src/app/train/run-record.ts';
import {
  applyMessage,
  isRun,
  memberLogs,
  newRun,
  reviveRuns,
} from '../../src/app/train/run-record.ts';
import { DEFAULT_CONFIG } from '../../src/training/run/run.ts';

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

describe('stored runs revived for the run table', () => {
  const at = (created: string, status: RunStatus): RunRecord => ({
    ...newRun(DEFAULT_CONFIG, 'wasm', 0),
    id: `run-${created}`,
    created,
    status,
  });
  it('sorts them oldest first, sets damaged ones aside by id, and stops an interrupted run', () => {
    const stored = [at('2026-02', 'running'), { id: 'broken' }, 7, at('2026-01', 'done')];
    const { runs, damaged } = reviveRuns(JSON.parse(JSON.stringify(stored)) as unknown[]);
    expect(runs.map((r) => r.id)).toEqual(['run-2026-01', 'run-2026-02']);
    expect(runs.map((r) => r.status)).toEqual(['done', 'stopped']);
    expect(runs[1]?.message).toMatch(/^interrupted \(page closed\)/);
    expect(damaged).toEqual(['broken', '?']);
  });
});

describe('worker messages folded into a run', () => {
  it('traces batches, keeps epochs, and lets a resumed checkpoint replace what came after it', () => {
    const run = newRun({ ...DEFAULT_CONFIG, ensemble: 2 }, 'wasm', 0);
    expect(
      applyMessage(run, { type: 'batch', member: 1, step: 0, loss: 2.5, lr: 0.1, beta1: 0.9 }),
    ).toBe(false);
    expect(
      applyMessage(run, { type: 'batch', member: 1, step: 1, loss: 2, lr: 0.2, beta1: null }),
    ).toBe(false);
    expect(run.members[1]).toEqual({
      logs: [],
      batchLosses: [2.5, 2],
      lrs: [0.1, 0.2],
      beta1s: [0.9],
    });
    const log = { epoch: 0, train: 'eval', loss: 1.5, accuracy: 0.5, seconds: 3 } as const;
    expect(applyMessage(run, { type: 'epoch', member: 1, log })).toBe(true);
    expect(memberLogs(run, 1)).toEqual([log]);
    const resumed = {
      type: 'resumed',
      member: 1,
      epoch: 0,
      logs: [],
      batchLosses: [3],
      records: { lr: [0.05] },
    } as const;
    expect(applyMessage(run, resumed)).toBe(true);
    expect(run.members[1]).toEqual({ logs: [], batchLosses: [3], lrs: [0.05], beta1s: [] });
    expect(applyMessage(run, { type: 'status', text: 'x' })).toBe(false);
  });
});
