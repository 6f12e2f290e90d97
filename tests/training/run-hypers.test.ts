import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../src/training/node/node-backend.ts';
import { loadFashionMnistFrom } from '../../src/training/node/node-data.ts';
import { trainRunInDir as trainRun } from '../../src/training/node/node-run.ts';
import { oneCycle, RULE_TEXTS, SCHEDULE_TEXTS } from '../../src/optimizers/index.ts';
import { runHypers } from '../../src/training/learner/run-hypers.ts';
import type { TrainConfig } from '../../src/training/run/run.ts';
import { DEFAULT_CONFIG } from '../../src/training/run/run.ts';

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

describe('a run’s hyperparameters, from its config', () => {
  const at = { step: 5, stepsPerEpoch: 4, epochs: 2 };
  it('gives the learner lr, the rule and the overrides, and the schedule of --sched', () => {
    const h = runHypers({ ...small, opt: 'adam', lr: 0.02, hyper: { beta2: 0.9 } });
    expect(h.options).toEqual({ lr: 0.02, opt: 'adam', hyper: { beta2: 0.9 } });
    expect(Object.keys(h.schedules)).toEqual(['lr', 'beta1']);
    expect(h.schedules.lr?.(at)).toBe(oneCycle({ maxLr: 0.02, totalSteps: 8 }).lr(5));
    expect(runHypers({ ...small, sched: 'constant' }).schedules).toEqual({});
    expect(Object.keys(runHypers({ ...small, sched: 'cosine' }).schedules)).toEqual(['lr']);
  });
  it('a user’s rule and formulas: the rule for the learner, the formulas for lr and its own hyperparameters', () => {
    const own = runHypers({
      ...small,
      rule: RULE_TEXTS.lion,
      lr: 0.1,
      schedFormula: 'lr = lr/2\nbeta2 = 0.9 + pct/10',
    });
    expect(own.options.rule?.name).toBe('lion');
    expect(own.schedules.lr?.(at)).toBe(0.05);
    expect(own.schedules.beta2?.(at)).toBe(0.9 + 5 / 8 / 10);
    expect(() => runHypers({ ...small, opt: 'sgd', schedFormula: 'beta1 = 0.9' })).toThrow(
      "the schedule does not parse: line 1, column 1 (beta1's schedule): 'beta1' cannot be scheduled; schedule lr",
    );
    expect(
      Object.keys(runHypers({ ...small, schedFormula: SCHEDULE_TEXTS.cosine }).schedules),
    ).toEqual(['lr']);
  });
});

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
