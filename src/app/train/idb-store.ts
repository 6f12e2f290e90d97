import type { CheckpointState, RunStore } from '../../training/checkpoint.ts';
import { DataFileError } from '../../training/idx.ts';
import type { ModelArtifacts } from '../../training/weights.ts';
import { modelArtifacts, setWeightsFrom } from '../../training/weights.ts';
import { idbGet, idbPut } from './idb.ts';

interface StoredCheckpoint {
  readonly state: CheckpointState;
  readonly model: ModelArtifacts;
}

const key = (runId: string, member: number): string => `${runId}/${String(member)}`;

/** A run's checkpoints, models and reports in IndexedDB, so a reload loses nothing. */
export const idbStore = (runId: string): RunStore => ({
  async readCheckpoint(member) {
    const c = await idbGet<StoredCheckpoint>('checkpoints', key(runId, member));
    return c?.state ?? null;
  },
  async restoreWeights(model, member) {
    const c = await idbGet<StoredCheckpoint>('checkpoints', key(runId, member));
    if (!c) throw new DataFileError(`run ${runId}: no checkpoint to resume from`);
    const specs = c.model.json.weightsManifest.flatMap((m) => m.weights);
    setWeightsFrom(model, specs, c.model.weights, `run ${runId} checkpoint`);
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
