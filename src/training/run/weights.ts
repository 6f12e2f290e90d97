import * as tf from '@tensorflow/tfjs';
import { fnv1a } from './checksum.ts';
import { DataFileError } from '../data/idx.ts';

/** A model in tfjs's layers format, in memory: what `model.json` + `weights.bin` hold. */
export interface ModelArtifacts {
  /** The `model.json` object (topology and weights manifest pointing at `weightsPath`). */
  readonly json: {
    readonly modelTopology: unknown;
    readonly format: 'layers-model';
    readonly generatedBy: string;
    readonly convertedBy: null;
    readonly weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
    /** gradsheet's own: the weights' length and checksum, so damage is caught when they load. */
    readonly weightsChecksum?: { readonly bytes: number; readonly fnv1a: string };
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
          weightsChecksum: { bytes: weights.byteLength, fnv1a: fnv1a(new Uint8Array(weights)) },
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

const BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1 };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a saved model's `model.json` object against its weights, before anything decodes them:
 * a manifest listing the weights, as many bytes as it says, and (for gradsheet's own saves) the
 * same checksum. Returns the weight specs; `where` names the files in the error.
 */
export const checkedSpecs = (
  json: unknown,
  weights: ArrayBuffer,
  where: string,
): tf.io.WeightsManifestEntry[] => {
  const manifest = isRecord(json) ? json.weightsManifest : undefined;
  if (!Array.isArray(manifest) || !manifest.every((m) => isRecord(m) && Array.isArray(m.weights)))
    throw new DataFileError(`${where}: not a tfjs model.json (it has no weightsManifest)`);
  const specs = (manifest as { weights: unknown[] }[]).flatMap((m) => m.weights);
  let expected = 0;
  for (const spec of specs) {
    if (!isRecord(spec) || typeof spec.name !== 'string' || !Array.isArray(spec.shape))
      throw new DataFileError(`${where}: the weights manifest is damaged`);
    const per = BYTES[String(spec.dtype)];
    if (per === undefined || spec.quantization !== undefined) {
      expected = NaN; // not a layout gradsheet writes: tfjs checks it when it decodes
      continue;
    }
    expected += per * (spec.shape as number[]).reduce((a, d) => a * d, 1);
  }
  if (Number.isFinite(expected) && weights.byteLength !== expected)
    throw new DataFileError(
      `${where}: the weights hold ${weights.byteLength.toLocaleString('en')} bytes where the model needs ${expected.toLocaleString('en')} (a truncated or mismatched file)`,
    );
  const sum = isRecord(json) ? json.weightsChecksum : undefined;
  if (isRecord(sum) && sum.fnv1a !== fnv1a(new Uint8Array(weights)))
    throw new DataFileError(`${where}: the weights are damaged (their checksum does not match)`);
  return specs as tf.io.WeightsManifestEntry[];
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
