import * as tf from '@tensorflow/tfjs';
import type { SafeTensor } from './safetensors.ts';

/**
 * A gradsheet model's weights under the lesson's PyTorch names (the `state_dict` keys of
 * `get_model3` and its siblings), so a notebook loads them with `load_state_dict(strict=True)`.
 *
 * Every top-level module the builder makes (`m<i>_…` layer names) is child `i` of the lesson's
 * `nn.Sequential`, and inside it the parameters sit where miniai puts them:
 * - a ResBlock: `convs.0.0` (conv), `convs.0.1` (BatchNorm), `convs.1.0`, `convs.1.1`, and
 *   `idconv.0` (the 1×1 conv, when the widths differ);
 * - a `conv(…)` (the small CNNs, `get_model4`'s stem): `0` (conv), `1` (BatchNorm);
 * - `Linear` and `BatchNorm1d`: the module itself.
 * Conv kernels go from tfjs's HWIO to PyTorch's OIHW, Linear kernels from [in, out] to
 * [out, in]. BatchNorm's gamma, beta, moving mean and variance are `weight`, `bias`,
 * `running_mean`, `running_var`, plus `num_batches_tracked` (I64, unused with a momentum).
 */

type Part = 'conv' | 'bn' | 'linear';

interface Slot {
  readonly layer: tf.layers.Layer;
  readonly part: Part;
  readonly key: string;
}

const LAYER_NAME = /^m(\d+)_([a-z]+)\d+$/;

const PART: Readonly<Record<string, Part>> = { conv: 'conv', bn: 'bn', linear: 'linear' };

/** Where each weighted layer's parameters go in the lesson's state_dict. */
const slots = (model: tf.LayersModel): Slot[] => {
  const modules = new Map<number, { kinds: Set<string>; layers: [tf.layers.Layer, Part][] }>();
  for (const layer of model.layers) {
    const m = LAYER_NAME.exec(layer.name);
    if (!m) {
      if (layer.weights.length) throw new Error(`torch export: unexpected layer ${layer.name}`);
      continue;
    }
    const index = Number(m[1]);
    const kind = m[2] ?? '';
    const mod = modules.get(index) ?? { kinds: new Set<string>(), layers: [] };
    modules.set(index, mod);
    mod.kinds.add(kind);
    if (kind === 'flat') {
      const { shape } = layer.input as tf.SymbolicTensor;
      if ((shape[1] ?? 1) * (shape[2] ?? 1) !== 1)
        throw new Error(`torch export: ${layer.name} flattens a ${shape[1]}×${shape[2]} map`);
    }
    const part = PART[kind];
    if (part) mod.layers.push([layer, part]);
    else if (layer.weights.length)
      throw new Error(`torch export: ${layer.name} has weights gradsheet cannot name`);
  }
  const out: Slot[] = [];
  for (const [i, { kinds, layers }] of [...modules].sort((a, b) => a[0] - b[0])) {
    const names: Record<Part, string[]> = kinds.has('add')
      ? { conv: ['convs.0.0', 'convs.1.0', 'idconv.0'], bn: ['convs.0.1', 'convs.1.1'], linear: [] }
      : kinds.has('conv')
        ? { conv: ['0'], bn: ['1'], linear: [] }
        : { conv: [], bn: [''], linear: [''] };
    const used: Record<Part, number> = { conv: 0, bn: 0, linear: 0 };
    for (const [layer, part] of layers) {
      const sub = names[part][used[part]++];
      if (sub === undefined) throw new Error(`torch export: no PyTorch name for ${layer.name}`);
      out.push({ layer, part, key: sub ? `${i}.${sub}` : `${i}` });
    }
  }
  return out;
};

const BN_NAMES = ['weight', 'bias', 'running_mean', 'running_var'] as const;

/** Each weight's PyTorch key, by tfjs weight name (`m0_conv1/kernel` → `0.convs.0.0.weight`). */
export const torchKeys = (model: tf.LayersModel): Map<string, string> => {
  const out = new Map<string, string>();
  for (const { layer, part, key } of slots(model))
    layer.weights.forEach((w, j) => {
      const name = part === 'bn' ? BN_NAMES[j] : j === 0 ? 'weight' : 'bias';
      if (name) out.set(w.name, `${key}.${name}`);
    });
  return out;
};

/** A tensor's values as F32, read asynchronously (WebGPU in Node cannot read synchronously). */
const f32 = async (t: tf.Tensor): Promise<SafeTensor> => ({
  dtype: 'F32',
  shape: t.shape,
  data: Float32Array.from(await t.data()),
});

/** The model's weights as the lesson's PyTorch state_dict (keys in PyTorch's order). */
export const torchStateDict = async (
  model: tf.LayersModel,
  batchesTracked = 0,
): Promise<Map<string, SafeTensor>> => {
  const out = new Map<string, SafeTensor>();
  for (const { layer, part, key } of slots(model)) {
    const w = layer.getWeights();
    if (part === 'bn') {
      for (const [j, name] of BN_NAMES.entries()) {
        const t = w[j];
        if (!t) throw new Error(`torch export: ${layer.name} lacks weight ${j}`);
        out.set(`${key}.${name}`, await f32(t));
      }
      out.set(`${key}.num_batches_tracked`, {
        dtype: 'I64',
        shape: [],
        data: BigInt64Array.of(BigInt(batchesTracked)),
      });
      continue;
    }
    const [kernel, bias] = w;
    if (!kernel) throw new Error(`torch export: ${layer.name} has no kernel`);
    const torchLayout = tf.transpose(kernel, part === 'conv' ? [3, 2, 0, 1] : [1, 0]);
    out.set(`${key}.weight`, await f32(torchLayout));
    torchLayout.dispose();
    if (bias) out.set(`${key}.bias`, await f32(bias));
  }
  return out;
};

const tensorOf = (dict: ReadonlyMap<string, SafeTensor>, key: string): SafeTensor => {
  const t = dict.get(key);
  if (!t) throw new Error(`torch import: no ${key} in the state_dict`);
  return t;
};

const floats = (t: SafeTensor, key: string): Float32Array => {
  if (t.dtype !== 'F32') throw new Error(`torch import: ${key} is ${t.dtype}, not F32`);
  return t.data;
};

/** Loads a state_dict in the lesson's names (as `torchStateDict` writes it) into a gradsheet model. */
export const loadTorchStateDict = (
  model: tf.LayersModel,
  dict: ReadonlyMap<string, SafeTensor>,
): void => {
  for (const { layer, part, key } of slots(model)) {
    const current = layer.getWeights();
    const next = tf.tidy(() => {
      if (part === 'bn')
        return BN_NAMES.map((name, j) => {
          const k = `${key}.${name}`;
          return tf.tensor(floats(tensorOf(dict, k), k), current[j]?.shape);
        });
      const t = tensorOf(dict, `${key}.weight`);
      const k = floats(t, `${key}.weight`);
      const kernel = tf.transpose(
        tf.tensor(k, [...t.shape]),
        part === 'conv' ? [2, 3, 1, 0] : [1, 0],
      );
      const bias = current[1] ? [tf.tensor(floats(tensorOf(dict, `${key}.bias`), key))] : [];
      return [kernel, ...bias];
    });
    layer.setWeights(next);
    tf.dispose(next);
  }
};
