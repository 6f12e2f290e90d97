import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadWeightsInto } from '../../src/training/save.ts';
import { decodeSafetensors } from '../../src/training/safetensors.ts';
import { loadTorchStateDict } from '../../src/training/torch-export.ts';
import { buildModel } from '../../src/training/models/zoo.ts';
import { initNodeBackend } from '../../src/training/node-backend.ts';
import { loadFashionMnistFrom } from '../../src/training/node-data.ts';
import type { TrainConfig } from '../../src/training/run.ts';
import { trainRunInDir as trainRun } from '../../src/training/node-run.ts';
import { DEFAULT_CONFIG } from '../../src/training/run.ts';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

const config: TrainConfig = {
  ...DEFAULT_CONFIG,
  model: 'cnn',
  epochs: 2,
  bs: 128,
  subset: 512,
  aug: ['crop', 'flip'],
};
const quiet = (): void => undefined;
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
    expect(lines).toContain('resuming from epoch 1 of 2');
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

  it('TTA and a 2-model ensemble report members, TTA and ensemble accuracy', async () => {
    const data = await loadFashionMnistFrom();
    const out = mkdtempSync(join(tmpdir(), 'run-e-'));
    const r = await trainRun({ ...config, epochs: 1, ensemble: 2, tta: true }, data, {
      out,
      write: quiet,
    });
    expect(r.members).toHaveLength(2);
    expect(r.members[0]?.accuracy).not.toBe(r.members[1]?.accuracy); // different seeds
    expect(r.ttaAccuracy).toBe(r.accuracy);
    for (const m of r.members) expect(m.ttaAccuracy).toBeGreaterThan(0.2);
    expect(tf.memory().numTensors).toBeLessThan(200);
  }, 120_000);
});
