import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { DataFileError } from './idx.ts';
import { encodeSafetensors } from './safetensors.ts';
import { torchStateDict } from './torch-export.ts';
import type { ModelArtifacts } from './weights.ts';
import { modelArtifacts, setWeightsFrom } from './weights.ts';

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

/** Loads weights saved by `saveModel` into a model of the same architecture (built in code). */
export const loadWeightsInto = async (model: tf.LayersModel, dir: string): Promise<void> => {
  const path = join(dir, 'model.json');
  let manifest: Pick<ModelArtifacts['json'], 'weightsManifest'>;
  let bin: Buffer;
  try {
    manifest = JSON.parse(await readFile(path, 'utf8')) as typeof manifest;
    bin = await readFile(join(dir, 'weights.bin'));
  } catch (err) {
    throw new DataFileError(`${dir}: cannot read a saved model (${(err as Error).message})`);
  }
  const specs = manifest.weightsManifest.flatMap((m) => m.weights);
  setWeightsFrom(model, specs, new Uint8Array(bin).buffer, path);
};
