import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainAdditions } from '../../../src/training/additions/additions.ts';
import type { CheckpointState } from '../../../src/training/run/checkpoint.ts';
import { buildModel } from '../../../src/training/models/zoo.ts';
import { initNodeBackend } from '../../../src/training/node/node-backend.ts';
import { loadFashionMnistFrom } from '../../../src/training/node/node-data.ts';
import { trainRunInDir as trainRun } from '../../../src/training/node/node-run.ts';
import type { TrainConfig } from '../../../src/training/run/run.ts';
import { quiet, SMALL_RUN } from '../small-run.ts';
import { loadWeightsInto } from '../../../src/training/node/save.ts';
import type { Predictions } from '../../../src/training/additions/tta.ts';
import { accuracy } from '../../../src/training/additions/tta.ts';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

const base: TrainConfig & TrainAdditions = SMALL_RUN;

/** The trainable weights of the `cnn` saved in `dir`. */
const trainableOfSaved = async (dir: string): Promise<Float32Array[]> => {
  const { model } = buildModel('cnn');
  await loadWeightsInto(model, dir);
  const out = model.trainableWeights.map((w) => Float32Array.from(w.read().dataSync()));
  model.dispose();
  return out;
};

describe('a training run with additions', () => {
  it('with label smoothing, mixup, an EMA and augmentation drawn per image: stopped and resumed, ends exactly where an uninterrupted run ends; the saved model is the EMA', async () => {
    const data = await loadFashionMnistFrom();
    const config: TrainConfig = {
      ...base,
      labelSmoothing: 0.1,
      mixup: 0.4,
      ema: 0.9,
      aug: ['crop', 'flip', 'erase', 'copy'],
      augPer: 'image',
    };
    const straight = mkdtempSync(join(tmpdir(), 'add-a-'));
    const a = await trainRun(config, data, { out: straight, write: quiet });

    const broken = mkdtempSync(join(tmpdir(), 'add-b-'));
    let batches = 0;
    const stop = {
      get requested() {
        return ++batches > 6; // during epoch 2, after the checkpoint of epoch 1
      },
    };
    expect((await trainRun(config, data, { out: broken, write: quiet, stop })).stopped).toBe(true);
    const state1 = JSON.parse(
      readFileSync(join(broken, 'checkpoint', 'state.json'), 'utf8'),
    ) as CheckpointState;
    expect(state1.epoch).toBe(1);
    expect(state1.ema?.step).toBe(4); // 512 / 128 steps in epoch 1
    expect(state1.ema?.decay).toBe(0.9);
    const c = await trainRun(config, data, { out: broken, write: quiet, resume: true });
    expect(c.accuracy).toBe(a.accuracy);
    expect(c.loss).toBe(a.loss);
    const [wa, wc] = [
      await trainableOfSaved(join(straight, 'model')),
      await trainableOfSaved(join(broken, 'model')),
    ];
    wa.forEach((w, i) => {
      expect(wc[i]).toEqual(w);
    });
    const noSeconds = (dir: string): string[] =>
      readFileSync(join(dir, 'metrics.csv'), 'utf8')
        .split('\r\n')
        .map((row) => row.split(',').slice(0, -1).join(','));
    expect(noSeconds(broken)).toEqual(noSeconds(straight));

    // The saved model holds the EMA of the last checkpoint, bias-corrected; the checkpoint the live weights.
    const state = JSON.parse(
      readFileSync(join(straight, 'checkpoint', 'state.json'), 'utf8'),
    ) as CheckpointState;
    const ema = state.ema;
    if (!ema) throw new Error('no EMA in the checkpoint');
    expect(ema.step).toBe(8);
    const scale = 1 / (1 - 0.9 ** 8);
    wa.forEach((w, i) => {
      const sums = ema.sums[i]?.values ?? [];
      expect(sums).toHaveLength(w.length);
      w.forEach((v, e) => {
        expect(v).toBeCloseTo((sums[e] ?? NaN) * scale, 5);
      });
    });
    const live = await trainableOfSaved(join(straight, 'checkpoint'));
    expect(live[0]).not.toEqual(wa[0]);
    expect(tf.memory().numTensors).toBeLessThan(200);
  }, 180_000);

  it('with cutmix and two shifted TTA views: the final accuracy is the TTA one, of plain + flip + 2 views', async () => {
    const data = await loadFashionMnistFrom();
    const out = mkdtempSync(join(tmpdir(), 'add-c-'));
    const got: { final: Predictions | null } = { final: null };
    const r = await trainRun({ ...base, epochs: 1, cutmix: 1, tta: true, ttaViews: 2 }, data, {
      out,
      write: quiet,
      onPredictions: (f) => (got.final = f),
    });
    expect(r.ttaAccuracy).not.toBeNull();
    expect(r.accuracy).toBe(r.ttaAccuracy);
    expect(r.members[0]?.ttaAccuracy).toBe(r.ttaAccuracy);
    expect(got.final).not.toBeNull();
    if (got.final) expect(accuracy(got.final)).toBe(r.accuracy);
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'))).toMatchObject({
      config: { cutmix: 1, ttaViews: 2 },
    });
  }, 120_000);

  it('augmentation drawn per image reaches the run: the same seed trains to other numbers than per batch', async () => {
    const data = await loadFashionMnistFrom();
    const once = async (augPer: 'batch' | 'image') =>
      trainRun({ ...base, epochs: 1, augPer }, data, {
        out: mkdtempSync(join(tmpdir(), `add-per-${augPer}-`)),
        write: quiet,
      });
    const [batch, image, batchAgain] = [
      await once('batch'),
      await once('image'),
      await once('batch'),
    ];
    expect(batchAgain.loss).toBe(batch.loss);
    expect(image.loss).not.toBe(batch.loss);
  });

  it('refuses bad values before training', async () => {
    const data = await loadFashionMnistFrom();
    const out = mkdtempSync(join(tmpdir(), 'add-d-'));
    const run = (c: TrainAdditions & Partial<TrainConfig>) =>
      trainRun({ ...base, ...c }, data, { out, write: quiet });
    await expect(run({ ema: 1 })).rejects.toThrow('ema must be a decay in [0, 1), got 1');
    await expect(run({ labelSmoothing: -0.1 })).rejects.toThrow('labelSmoothing must be in [0, 1)');
    await expect(run({ mixup: 0.4, cutmix: 1 })).rejects.toThrow(
      'cutmix: choose mixup or CutMix, not both',
    );
    await expect(run({ ttaViews: 5 })).rejects.toThrow(
      'ttaViews must be a whole number 0…4, got 5',
    );
  });
});
