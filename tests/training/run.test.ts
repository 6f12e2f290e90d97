import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Split } from '../../src/training/data/fashion-mnist.ts';
import { normalise, SIDE } from '../../src/training/data/fashion-mnist.ts';
import { loadWeightsInto } from '../../src/training/node/save.ts';
import type { Predictions } from '../../src/training/additions/tta.ts';
import { accuracy, meanLogits } from '../../src/training/additions/tta.ts';
import { decodeSafetensors } from '../../src/training/run/safetensors.ts';
import { loadTorchStateDict } from '../../src/training/run/torch-export.ts';
import { buildModel } from '../../src/training/models/zoo.ts';
import { initNodeBackend } from '../../src/training/node/node-backend.ts';
import { loadFashionMnistFrom } from '../../src/training/node/node-data.ts';
import type { TrainConfig } from '../../src/training/run/run.ts';
import { trainRunInDir as trainRun } from '../../src/training/node/node-run.ts';
import { quiet, SMALL_RUN } from './small-run.ts';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

const config: TrainConfig = SMALL_RUN;

/** A split with every image mirrored left to right, byte by byte. */
const mirrored = (s: Split): Split => {
  const images = new Uint8Array(s.images.length);
  for (let row = 0; row < s.n * SIDE; row++)
    for (let col = 0; col < SIDE; col++)
      images[row * SIDE + col] = s.images[row * SIDE + SIDE - 1 - col] ?? 0;
  return { ...s, images };
};

/** The logits of a saved `cnn` on every image of `s`, in batches of `bs`. */
const logitsOfSaved = async (dir: string, s: Split, bs: number): Promise<Float32Array> => {
  const { model } = buildModel('cnn');
  await loadWeightsInto(model, dir);
  const out = new Float32Array(s.n * 10);
  for (let i = 0; i < s.n; i += bs) {
    const idx = Array.from({ length: Math.min(bs, s.n - i) }, (_, k) => i + k);
    const y = tf.tidy(() => {
      const x = tf.tensor4d(normalise(s, idx), [idx.length, SIDE, SIDE, 1]);
      return model.apply(x, { training: false }) as tf.Tensor;
    });
    out.set(await y.data(), i * 10);
    y.dispose();
  }
  model.dispose();
  return out;
};
const weightsOf = async (dir: string): Promise<Float32Array[]> => {
  const { model } = buildModel('cnn');
  await loadWeightsInto(model, join(dir, 'model'));
  const out = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  model.dispose();
  return out;
};

describe('a training run', () => {
  it('stopped after the first epoch and resumed, ends exactly where an uninterrupted run ends', async () => {
    const data = await loadFashionMnistFrom();
    const straight = mkdtempSync(join(tmpdir(), 'run-a-'));
    const a = await trainRun(config, data, { out: straight, write: quiet });
    expect(a.stopped).toBe(false);

    const broken = mkdtempSync(join(tmpdir(), 'run-b-'));
    let batches = 0;
    // 4 train + 1 valid batch per epoch: ask to stop during epoch 2, after its checkpoint-less first batch
    const stop = {
      get requested() {
        return ++batches > 6;
      },
    };
    const b = await trainRun(config, data, { out: broken, write: quiet, stop });
    expect(b.stopped).toBe(true);
    const state = JSON.parse(readFileSync(join(broken, 'checkpoint', 'state.json'), 'utf8')) as {
      epoch: number;
    };
    expect(state.epoch).toBe(1);

    const lines: string[] = [];
    const c = await trainRun(config, data, {
      out: broken,
      write: (l) => lines.push(l),
      resume: true,
    });
    expect(lines).toContain('resuming at epoch 2 of 2, from the checkpoint after epoch 1');
    expect(c.accuracy).toBe(a.accuracy);
    const wa = await weightsOf(straight);
    const wc = await weightsOf(broken);
    wa.forEach((w, i) => {
      expect(wc[i]).toEqual(w);
    });
    // model.safetensors beside model/: the same weights under the lesson's PyTorch names
    const exported = decodeSafetensors(readFileSync(join(straight, 'model.safetensors')));
    expect(exported.metadata).toEqual({ format: 'pt', gradsheet_model: 'cnn' });
    expect(exported.tensors.get('0.0.weight')?.shape).toEqual([8, 1, 3, 3]);
    const { model: fromTorch } = buildModel('cnn');
    loadTorchStateDict(fromTorch, exported.tensors);
    fromTorch.getWeights().forEach((w, i) => {
      expect(Float32Array.from(w.dataSync())).toEqual(wa[i]);
    });
    fromTorch.dispose();
    const metrics = readFileSync(join(broken, 'metrics.csv'), 'utf8').trim().split('\r\n');
    expect(metrics).toHaveLength(5); // header + train/eval × 2 epochs
    const recorder = readFileSync(join(broken, 'recorder.csv'), 'utf8').trim().split('\r\n');
    expect(recorder).toHaveLength(1 + 2 * 4); // header + 4 training batches × 2 epochs, across the resume
    expect(readFileSync(join(broken, 'recorder.csv'), 'utf8')).toBe(
      readFileSync(join(straight, 'recorder.csv'), 'utf8'),
    );
    expect(JSON.parse(readFileSync(join(broken, 'run.json'), 'utf8'))).toMatchObject({
      accuracy: c.accuracy,
      config: { model: 'cnn' },
    });
  }, 120_000);

  it('with TTA and a 2-model ensemble, the accuracy is that of every member’s plain and flipped logits averaged', async () => {
    const data = await loadFashionMnistFrom();
    const out = mkdtempSync(join(tmpdir(), 'run-e-'));
    const c = { ...config, epochs: 1, ensemble: 2, tta: true };
    let plain: readonly Predictions[] = [];
    const r = await trainRun(c, data, {
      out,
      write: quiet,
      onPredictions: (_final, members) => (plain = members),
    });
    expect(r.members).toHaveLength(2);
    expect(plain).toHaveLength(2);
    expect(r.members[0]?.accuracy).not.toBe(r.members[1]?.accuracy); // different seeds
    // The flipped pass, computed here independently: each saved member on images mirrored on the host.
    const flipped = await Promise.all(
      [0, 1].map((k) =>
        logitsOfSaved(join(out, `member-${k}`, 'model'), mirrored(data.valid), c.bs * 2),
      ),
    );
    const targets = plain[0]?.targets ?? new Int32Array();
    const flips = flipped.map((logits) => ({ logits, targets }));
    const near = (got: number | null | undefined, want: number): void => {
      expect(Math.abs((got ?? NaN) - want)).toBeLessThanOrEqual(1 / data.valid.n); // one image at most
    };
    r.members.forEach((m, k) => {
      const [p, f] = [plain[k], flips[k]];
      if (!p || !f) throw new Error(`member ${k} has no predictions`);
      near(m.accuracy, accuracy(p));
      near(m.ttaAccuracy, accuracy(meanLogits([p, f])));
    });
    near(r.plainAccuracy, accuracy(meanLogits(plain)));
    near(r.ttaAccuracy, accuracy(meanLogits([...plain, ...flips])));
    expect(r.accuracy).toBe(r.ttaAccuracy); // with TTA, the run's figure is the TTA one
    expect(tf.memory().numTensors).toBeLessThan(200);
  }, 120_000);
});
