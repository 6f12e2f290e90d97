import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { DataFileError } from '../data/idx.ts';
import { fileProblem, readJson } from './read-json.ts';
import { encodeSafetensors } from '../run/safetensors.ts';
import { torchStateDict } from '../run/torch-export.ts';
import { checkedSpecs, modelArtifacts, setWeightsFrom } from '../run/weights.ts';

/** Saves a model in tfjs's layers format: `model.json` + `weights.bin`, loadable by `tf.loadLayersModel` in a browser. */
export const saveModel = async (model: tf.LayersModel, dir: string): Promise<void> => {
  await mkdir(dir, { recursive: true });
  const { json, weights } = await modelArtifacts(model);
  await writeFile(join(dir, 'model.json'), JSON.stringify(json));
  await writeFile(join(dir, 'weights.bin'), new Uint8Array(weights));
};

/**
 * Saves a model's weights as safetensors under the lesson's PyTorch names, for
 * `model.load_state_dict(safetensors.torch.load_file(path))` on the notebook's model.
 */
export const saveTorchWeights = async (model: tf.LayersModel, path: string): Promise<void> => {
  await writeFile(
    path,
    encodeSafetensors(await torchStateDict(model), { format: 'pt', gradsheet_model: model.name }),
  );
};

/**
 * Loads weights saved by `saveModel` into a model of the same architecture (built in code); a
 * missing, truncated or damaged file is a `DataFileError` naming it.
 */
export const loadWeightsInto = async (model: tf.LayersModel, dir: string): Promise<void> => {
  const { specs, weights, path } = await readSavedModel(dir);
  setWeightsFrom(model, specs, weights, path);
};

/** Reads and checks `model.json` + `weights.bin` in `dir`, without loading them into a model. */
export const readSavedModel = async (
  dir: string,
): Promise<{ specs: tf.io.WeightsManifestEntry[]; weights: ArrayBuffer; path: string }> => {
  const path = join(dir, 'model.json');
  const binPath = join(dir, 'weights.bin');
  const json = await readJson(path);
  let bin: Buffer;
  try {
    bin = await readFile(binPath);
  } catch (err) {
    throw new DataFileError(`${binPath}: ${fileProblem(err)}`);
  }
  const weights = new Uint8Array(bin).buffer;
  return { specs: checkedSpecs(json, weights, binPath), weights, path };
};
