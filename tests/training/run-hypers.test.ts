import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../src/training/node-backend.ts';
import { loadFashionMnistFrom } from '../../src/training/node-data.ts';
import { trainRunInDir as trainRun } from '../../src/training/node-run.ts';
import type { TrainConfig } from '../../src/training/run.ts';
import { DEFAULT_CONFIG } from '../../src/training/run.ts';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

const quiet = (): void => undefined;

/** recorder.csv's lr and beta1 columns: the values each training step used. */
const perStep = (dir: string): { lr: number[]; beta1: number[] } => {
  const [head = '', ...rows] = readFileSync(join(dir, 'recorder.csv'), 'utf8')
    .trim()
    .split(/\r?\n/);
  const cols = head.split(',');
  const column = (name: string): number[] =>
    rows.map((r) => Number(r.split(',')[cols.indexOf(name)]));
  return { lr: column('lr'), beta1: column('beta1') };
};

const small: TrainConfig = {
  ...DEFAULT_CONFIG,
  model: 'cnn',
  epochs: 2,
  bs: 128,
  subset: 512,
};

describe('hyperparameters across a resume', () => {
  it.each<[string, Partial<TrainConfig>]>([
    ['momentum, cosine', { opt: 'momentum', sched: 'cosine', lr: 0.05 }],
    [
      'adam, lr and β₁ as formulas per epoch',
      {
        opt: 'adam',
        lr: 0.004,
        schedFormula: 'lr = lr * (1 - pct/2)\nbeta1 = 0.85 + 0.1*pct',
        schedEvery: 'epoch',
      },
    ],
  ])(
    '%s: a resumed run uses the lr and β₁ of an uninterrupted run at every step',
    async (_name, change) => {
      const config = { ...small, ...change };
      const data = await loadFashionMnistFrom();
      const straight = mkdtempSync(join(tmpdir(), 'hyper-a-'));
      await trainRun(config, data, { out: straight, write: quiet });

      const broken = mkdtempSync(join(tmpdir(), 'hyper-b-'));
      let batches = 0;
      // 4 train + 1 valid batch per epoch: stop in epoch 2, after its first training batch
      const stop = {
        get requested() {
          return ++batches > 6;
        },
      };
      expect((await trainRun(config, data, { out: broken, write: quiet, stop })).stopped).toBe(
        true,
      );
      await trainRun(config, data, { out: broken, write: quiet, resume: true });

      const want = perStep(straight);
      const got = perStep(broken);
      expect(want.lr).toHaveLength(8);
      expect(new Set(want.lr).size).toBeGreaterThan(1); // the schedule moves the lr
      expect(want.beta1.every(Number.isFinite)).toBe(true);
      expect(got).toEqual(want);
    },
    120_000,
  );
});
