import { idbAll, idbDelete, idbDeletePrefix, idbPut } from './idb.ts';
import type { RunRecord } from './run-record.ts';
import { reviveRuns } from './run-record.ts';

/**
 * The saved runs, oldest first. A damaged record is left in storage untouched and not shown;
 * `onDamaged` gets the ids (or '?') of such records.
 */
export const loadRuns = async (onDamaged?: (ids: string[]) => void): Promise<RunRecord[]> => {
  const { runs, damaged } = reviveRuns(await idbAll<unknown>('runs'));
  if (damaged.length) onDamaged?.(damaged);
  return runs;
};

export const saveRun = (run: RunRecord): Promise<void> => idbPut('runs', run.id, run);

/** Forgets a run: its row, and its checkpoints, models and reports. */
export const forgetRun = async (id: string): Promise<void> => {
  await idbDelete('runs', id);
  for (const store of ['checkpoints', 'models', 'reports'] as const)
    await idbDeletePrefix(store, `${id}/`);
};
