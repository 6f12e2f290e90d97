import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { normalise } from '../../src/training/data/fashion-mnist.ts';
import { initWeights } from '../../src/training/models/init.ts';
import type { ModelName } from '../../src/training/models/zoo.ts';
import { buildModel } from '../../src/training/models/zoo.ts';
import { initNodeBackend } from '../../src/training/node/node-backend.ts';
import { loadFashionMnistFrom } from '../../src/training/node/node-data.ts';
import type { SafeTensor } from '../../src/training/run/safetensors.ts';
import { decodeSafetensors, encodeSafetensors } from '../../src/training/run/safetensors.ts';
import { loadTorchStateDict, torchStateDict } from '../../src/training/run/torch-export.ts';
import { mulberry32 } from '../../src/core/index.ts';
import { runTorchScript, torchUnavailable } from './torch-python.ts';

/** A seeded model whose BatchNorm layers hold non-trivial γ, β and moving statistics. */
const seededModel = (name: ModelName, seed: number): tf.LayersModel => {
  const { model } = buildModel(name);
  initWeights(model, seed);
  const rng = mulberry32(seed + 1);
  for (const layer of model.layers.filter((l) => l.getClassName() === 'BatchNorm')) {
    const ws = layer.getWeights().map((w, j) =>
      tf.tensor(
        Float32Array.from({ length: w.size }, () =>
          j === 3 ? 0.5 + rng.next() : j === 0 ? 1 + 0.3 * rng.normal() : 0.3 * rng.normal(),
        ),
        w.shape,
      ),
    );
    layer.setWeights(ws);
    tf.dispose(ws);
  }
  return model;
};

const flat = (model: tf.LayersModel): Float32Array[] =>
  model.getWeights().map((w) => Float32Array.from(w.dataSync()));

describe('safetensors', () => {
  it('writes the format byte for byte and reads it back', () => {
    const tensors = new Map<string, SafeTensor>([
      ['a.weight', { dtype: 'F32', shape: [2, 3], data: Float32Array.of(1, -2, 3.5, 0, 1e-7, 6) }],
      ['a.num_batches_tracked', { dtype: 'I64', shape: [], data: BigInt64Array.of(295n) }],
    ]);
    const bytes = encodeSafetensors(tensors, { format: 'pt' });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(JSON.parse(header)).toEqual({
      __metadata__: { format: 'pt' },
      'a.weight': { dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] },
      'a.num_batches_tracked': { dtype: 'I64', shape: [], data_offsets: [24, 32] },
    });
    expect(bytes.length).toBe(8 + n + 32);
    // 1.0f little-endian, then 295 as a little-endian int64
    expect([...bytes.subarray(8 + n, 8 + n + 4)]).toEqual([0, 0, 0x80, 0x3f]);
    expect([...bytes.subarray(8 + n + 24, 8 + n + 26)]).toEqual([0x27, 0x01]);
    const back = decodeSafetensors(bytes);
    expect(back.metadata).toEqual({ format: 'pt' });
    expect([...back.tensors.keys()]).toEqual(['a.weight', 'a.num_batches_tracked']);
    expect(back.tensors.get('a.weight')?.data).toEqual(Float32Array.of(1, -2, 3.5, 0, 1e-7, 6));
    expect(back.tensors.get('a.num_batches_tracked')?.data).toEqual(BigInt64Array.of(295n));
  });

  it('rejects a file whose tensors do not tile the data', () => {
    const bytes = encodeSafetensors(
      new Map([['x', { dtype: 'F32', shape: [2], data: Float32Array.of(1, 2) }]]),
    );
    expect(() => decodeSafetensors(bytes.subarray(0, bytes.length - 1))).toThrow(/do not fit/);
    const longer = new Uint8Array(bytes.length + 4);
    longer.set(bytes);
    expect(() => decodeSafetensors(longer)).toThrow(/bytes left/);
  });
});

describe('the lesson’s state_dict names', () => {
  it('names resnet-small’s weights as get_model3’s state_dict, in PyTorch’s layouts', async () => {
    await initNodeBackend('cpu');
    const model = seededModel('resnet-small', 3);
    const dict = await torchStateDict(model, 7);
    // 5 ResBlocks × (3 or 2 convs: weight, bias; 2 BatchNorms: 5 entries), Linear, BatchNorm1d
    expect(dict.size).toBe(5 * (3 * 2 + 2 * 5) + 1 + 5);
    const shape = (k: string) => dict.get(k)?.shape;
    expect(shape('0.convs.0.0.weight')).toEqual([16, 1, 5, 5]);
    expect(shape('0.convs.0.1.running_var')).toEqual([16]);
    expect(shape('0.idconv.0.weight')).toEqual([16, 1, 1, 1]);
    expect(shape('4.convs.1.0.weight')).toEqual([256, 256, 3, 3]);
    expect(shape('4.idconv.0.bias')).toEqual([256]);
    expect(shape('6.weight')).toEqual([10, 256]);
    expect(shape('7.running_mean')).toEqual([10]);
    expect(dict.get('7.num_batches_tracked')?.data).toEqual(BigInt64Array.of(7n));
    // OIHW: PyTorch's weight[o][i][y][x] is tfjs's kernel[y][x][i][o]
    const first = model.layers.find((l) => l.name.startsWith('m1_conv'));
    const kernel = first?.getWeights()[0]?.arraySync() as number[][][][];
    const w = dict.get('1.convs.0.0.weight');
    expect(w?.shape).toEqual([32, 16, 3, 3]);
    const at = (o: number, i: number, y: number, x: number) =>
      w?.data[((o * 16 + i) * 3 + y) * 3 + x];
    expect(at(5, 7, 2, 1)).toBe(Math.fround(kernel[2]?.[1]?.[7]?.[5] ?? NaN));
    model.dispose();
  });

  it.each(['resnet-small', 'resnet-stem', 'cnn', 'deep-cnn'] as const)(
    'round-trips %s through a safetensors file into a fresh model',
    async (name) => {
      await initNodeBackend('cpu');
      const model = seededModel(name, 5);
      const bytes = encodeSafetensors(await torchStateDict(model));
      const other = seededModel(name, 6);
      loadTorchStateDict(other, decodeSafetensors(bytes).tensors);
      const [a, b] = [flat(other), flat(model)];
      expect(a.map((w) => w.length)).toEqual(b.map((w) => w.length));
      expect(a.every((w, i) => w.every((v, j) => v === b[i]?.[j]))).toBe(true);
      model.dispose();
      other.dispose();
    },
  );
});

const torchReason = torchUnavailable;
describe.skipIf(torchReason !== null)('loaded by PyTorch with load_state_dict(strict=True)', () => {
  it.each(['resnet-small', 'resnet-stem', 'resnet', 'cnn', 'deep-cnn'] as const)(
    '%s gives tfjs’s logits on real Fashion-MNIST images to 1e-4',
    async (name) => {
      await initNodeBackend('cpu');
      const data = await loadFashionMnistFrom();
      const images = normalise(data.valid, [0, 1, 2, 3, 17, 42, 99, 1000]);
      const model = seededModel(name, 11);
      const want = tf.tidy(() =>
        Array.from((model.predict(tf.tensor4d(images, [8, 28, 28, 1])) as tf.Tensor).dataSync()),
      );
      const dir = mkdtempSync(join(tmpdir(), 'gradsheet-export-'));
      writeFileSync(join(dir, 'model.safetensors'), encodeSafetensors(await torchStateDict(model)));
      writeFileSync(join(dir, 'images.json'), JSON.stringify({ images: Array.from(images) }));
      const got = runTorchScript('torch_forward.py', [
        name,
        join(dir, 'model.safetensors'),
        join(dir, 'images.json'),
      ]) as { logits: number[] };
      expect(got.logits).toHaveLength(80);
      const err = Math.max(...want.map((v, i) => Math.abs(v - (got.logits[i] ?? NaN))));
      expect(err).toBeLessThan(1e-4);
      expect(readFileSync(join(dir, 'model.safetensors')).length).toBeGreaterThan(1000);
      model.dispose();
    },
    60_000,
  );
});
if (torchReason !== null) {
  describe('loaded by PyTorch', () => {
    it.skip(`because ${torchReason}`, () => undefined);
  });
}
