import * as tf from '@tensorflow/tfjs';
import { DataFileError } from './idx.ts';

/** A model in tfjs's layers format, in memory: what `model.json` + `weights.bin` hold. */
export interface ModelArtifacts {
  /** The `model.json` object (topology and weights manifest pointing at `weightsPath`). */
  readonly json: {
    readonly modelTopology: unknown;
    readonly format: 'layers-model';
    readonly generatedBy: string;
    readonly convertedBy: null;
    readonly weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  readonly weights: ArrayBuffer;
}

/** Serialises a model's topology and every weight (batch-norm statistics included). */
export const modelArtifacts = async (
  model: tf.LayersModel,
  weightsPath = 'weights.bin',
): Promise<ModelArtifacts> => {
  const saved: { value: ModelArtifacts | null } = { value: null };
  await model.save(
    tf.io.withSaveHandler((artifacts) => {
      const data = artifacts.weightData;
      const weights =
        data === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(data);
      saved.value = {
        json: {
          modelTopology: artifacts.modelTopology,
          format: 'layers-model',
          generatedBy: 'gradsheet',
          convertedBy: null,
          weightsManifest: [{ paths: [weightsPath], weights: artifacts.weightSpecs ?? [] }],
        },
        weights,
      };
      return Promise.resolve({
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          weightDataBytes: weights.byteLength,
        },
      });
    }),
  );
  if (!saved.value) throw new Error('the model did not save');
  return saved.value;
};

/**
 * Loads saved weights into a model of the same architecture (built in code), matching them by
 * name; `where` names the source in errors.
 */
export const setWeightsFrom = (
  model: tf.LayersModel,
  specs: readonly tf.io.WeightsManifestEntry[],
  weights: ArrayBuffer,
  where: string,
): void => {
  let named: tf.NamedTensorMap;
  try {
    named = tf.io.decodeWeights(weights, [...specs]);
  } catch (err) {
    throw new DataFileError(`${where}: the weights do not decode (${(err as Error).message})`);
  }
  try {
    const ordered = model.weights.map((w) => {
      const t = named[w.originalName] ?? named[w.name];
      if (!t)
        throw new DataFileError(
          `${where}: no weight ${w.originalName} (was it saved from another model?)`,
        );
      return t;
    });
    model.setWeights(ordered);
  } finally {
    tf.dispose(Object.values(named));
  }
};
