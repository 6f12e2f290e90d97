import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunStore } from '../run/checkpoint.ts';
import { checkCheckpointState } from '../run/checkpoint.ts';
import { DataFileError } from '../data/idx.ts';
import { readJson } from './read-json.ts';
import { loadWeightsInto, readSavedModel, saveModel, saveTorchWeights } from './save.ts';

/** Where ensemble member `member` of a run in `out` keeps its files: `out` itself when it is alone. */
export const memberDir = (out: string, members: number, member: number): string =>
  join(out, members > 1 ? `member-${member}` : '.');

/**
 * A run's files under `out`: metrics.csv, recorder.csv, run.json, and per ensemble member
 * (`member-k/` when there are several) `checkpoint/`, `model/` and `model.safetensors` (the
 * weights under the lesson's PyTorch names).
 */
export const nodeStore = (out: string, members: number): RunStore => {
  const dir = (member: number): string => memberDir(out, members, member);
  const ckpt = (member: number): string => join(dir(member), 'checkpoint');
  return {
    async readCheckpoint(member) {
      const path = join(ckpt(member), 'state.json');
      if (!existsSync(path)) {
        if (!existsSync(join(ckpt(member), 'model.json'))) return null; // no epoch finished yet
        throw new DataFileError(`${path}: missing beside the checkpoint's weights`);
      }
      const state = checkCheckpointState(await readJson(path), path);
      await readSavedModel(ckpt(member)); // its weights: checked now, before any training
      return state;
    },
    restoreWeights: (model, member) => loadWeightsInto(model, ckpt(member)),
    async saveCheckpoint(model, member, state) {
      const d = ckpt(member);
      await mkdir(d, { recursive: true });
      await saveModel(model, d);
      // Weights first, then the state renamed into place: a half-written checkpoint is never read.
      await writeFile(join(d, 'state.json.tmp'), JSON.stringify(state));
      await rename(join(d, 'state.json.tmp'), join(d, 'state.json'));
    },
    async saveModel(model, member) {
      await saveModel(model, join(dir(member), 'model'));
      await saveTorchWeights(model, join(dir(member), 'model.safetensors'));
    },
    async writeText(name, text) {
      await mkdir(out, { recursive: true });
      await writeFile(join(out, name), text);
    },
  };
};
