import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DataFileError } from './idx.ts';

/** Saves a model in tfjs's layers format: `model.json` + `weights.bin`, loadable by `tf.loadLayersModel` in a browser. */
export const saveModel = async (model: tf.LayersModel, dir: string): Promise<void> => {
  await mkdir(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData;
      const weights =
        data === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(data);
      const json = {
        modelTopology: artifacts.modelTopology,
        format: 'layers-model',
        generatedBy: 'gradsheet',
        convertedBy: null,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFile(join(dir, 'model.json'), JSON.stringify(json));
      await writeFile(join(dir, 'weights.bin'), new Uint8Array(weights));
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          weightDataBytes: weights.byteLength,
        },
      };
    }),
  );
};

/** Loads weights saved by `saveModel` into a model of the same architecture (built in code). */
export const loadWeightsInto = async (model: tf.LayersModel, dir: string): Promise<void> => {
  const path = join(dir, 'model.json');
  let manifest: { weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
  let bin: Buffer;
  try {
    manifest = JSON.parse(await readFile(path, 'utf8')) as typeof manifest;
    bin = await readFile(join(dir, 'weights.bin'));
  } catch (err) {
    throw new DataFileError(`${dir}: cannot read a saved model (${(err as Error).message})`);
  }
  const specs = manifest.weightsManifest.flatMap((m) => m.weights);
  const buf = new Uint8Array(bin).buffer;
  const named = tf.io.decodeWeights(buf, specs);
  const weights = model.weights.map((w) => {
    const t = named[w.originalName] ?? named[w.name];
    if (!t)
      throw new DataFileError(
        `${path}: no weight ${w.originalName} (was it saved from another model?)`,
      );
    return t;
  });
  model.setWeights(weights);
  tf.dispose(Object.values(named));
};
