import type { io } from '@tensorflow/tfjs';
import type { CheckpointState, ModelArtifacts, RunStore } from '../../training/index.ts';
import {
  checkCheckpointState,
  checkedSpecs,
  modelArtifacts,
  setWeightsFrom,
} from '../../training/trainer.ts';
import { DataFileError } from '../../training/index.ts';
import { idbGet, idbPut } from './idb.ts';

interface StoredCheckpoint {
  readonly state: CheckpointState;
  readonly model: ModelArtifacts;
}

const key = (runId: string, member: number): string => `${runId}/${String(member)}`;

const ADVICE =
  'Resume cannot continue it; it is kept as it is: train a new run with these settings, or Delete this one';

/**
 * The stored checkpoint of `runId`'s member, checked (state, weights and their checksum)
 * before any training; a damaged record is a `DataFileError` that names the run and what to do,
 * and stays where it is.
 */
const readChecked = async (
  runId: string,
  member: number,
): Promise<{
  state: CheckpointState;
  specs: io.WeightsManifestEntry[];
  weights: ArrayBuffer;
} | null> => {
  const c = await idbGet<unknown>('checkpoints', key(runId, member));
  if (c === undefined) return null;
  const where = `the checkpoint of ${runId}${member ? ` (model ${String(member + 1)})` : ''} in this browser's storage`;
  try {
    const stored = (typeof c === 'object' && c !== null ? c : {}) as Partial<StoredCheckpoint>;
    const state = checkCheckpointState(stored.state, where);
    const model: Partial<ModelArtifacts> = stored.model ?? {};
    if (!(model.weights instanceof ArrayBuffer))
      throw new DataFileError(`${where}: damaged (no weights)`);
    return { state, specs: checkedSpecs(model.json, model.weights, where), weights: model.weights };
  } catch (err) {
    if (err instanceof DataFileError) throw new DataFileError(`${err.message}. ${ADVICE}`);
    throw err;
  }
};

/** A run's checkpoints, models and reports in IndexedDB, so a reload loses nothing. */
export const idbStore = (runId: string): RunStore => ({
  async readCheckpoint(member) {
    return (await readChecked(runId, member))?.state ?? null;
  },
  async restoreWeights(model, member) {
    const c = await readChecked(runId, member);
    if (!c) throw new DataFileError(`run ${runId}: no checkpoint to resume from`);
    setWeightsFrom(model, c.specs, c.weights, `run ${runId} checkpoint`);
  },
  async saveCheckpoint(model, member, state) {
    // One put holds weights and state together: a checkpoint is never half written.
    const stored: StoredCheckpoint = { state, model: await modelArtifacts(model) };
    await idbPut('checkpoints', key(runId, member), stored);
  },
  async saveModel(model, member) {
    await idbPut('models', key(runId, member), await modelArtifacts(model));
  },
  async writeText(name, text) {
    await idbPut('reports', `${runId}/${name}`, text);
  },
});

export const readModel = (runId: string, member: number): Promise<ModelArtifacts | undefined> =>
  idbGet<ModelArtifacts>('models', key(runId, member));

export const readReport = (runId: string, name: string): Promise<string | undefined> =>
  idbGet<string>('reports', `${runId}/${name}`);
