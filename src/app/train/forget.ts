import { idbDeletePrefix } from './idb.ts';

/** Forgets a run's checkpoints, models and reports (the page side, without tfjs). */
export const deleteRunData = async (runId: string): Promise<void> => {
  for (const store of ['checkpoints', 'models', 'reports'] as const)
    await idbDeletePrefix(store, `${runId}/`);
};
