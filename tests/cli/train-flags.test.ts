import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args.ts';
import { savedConfig, withWorkers } from '../../src/cli/run-dir.ts';
import { configFrom, trainFlags, trainUsage } from '../../src/cli/train-flags.ts';
import { wholeBatchNorm } from '../../src/core/backends.ts';
import { TRAIN_SETTINGS } from '../../src/settings/train.ts';
import { NO_ADDITIONS } from '../../src/training/additions/additions.ts';
import { DEFAULT_CONFIG } from '../../src/training/run/config.ts';

const flags = (...pairs: string[]): Map<string, string> => {
  const m = new Map<string, string>();
  for (let i = 0; i < pairs.length; i += 2) m.set(pairs[i] ?? '', pairs[i + 1] ?? 'true');
  return m;
};
const refused = (values: Map<string, string>): string => {
  try {
    configFrom(values);
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  return 'accepted';
};

describe('gradsheet train: flags from the settings table', () => {
  it('defaults: the lesson recipe, on wasm with every core', () => {
    expect(configFrom(new Map())).toEqual({
      ...DEFAULT_CONFIG,
      hyper: { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 },
      backend: 'wasm',
      workers: availableParallelism(),
      // each worker's share of the batch of 1024, at most 512 rows
      microBatch: Math.min(Math.ceil(1024 / availableParallelism()), 512),
      rule: null,
      schedFormula: null,
      schedEvery: 'batch',
      augPer: 'batch',
      ...NO_ADDITIONS,
    });
  });

  it('the training additions are flags, checked, with the combinations that cannot train refused', () => {
    expect(
      configFrom(
        flags(
          'label-smoothing',
          '0.1',
          'ema',
          '0.99',
          'mixup',
          '0.4',
          'tta-views',
          '4',
          'workers',
          '1',
        ),
      ),
    ).toMatchObject({ labelSmoothing: 0.1, ema: 0.99, mixup: 0.4, cutmix: 0, ttaViews: 4 });
    expect(refused(flags('ema', '1'))).toBe('--ema must be a decay in [0, 1), got 1');
    expect(refused(flags('tta-views', '5'))).toBe('--tta-views must be a whole number 0…4, got 5');
    expect(refused(flags('mixup', '0.4', 'cutmix', '1', 'workers', '1'))).toBe(
      '--cutmix: choose mixup or CutMix, not both',
    );
    // the workers train against the soft targets too (tests/training/sync-batch-norm.test.ts)
    expect(
      configFrom(flags('label-smoothing', '0.1', 'mixup', '0.4', 'workers', '2')),
    ).toMatchObject({ labelSmoothing: 0.1, mixup: 0.4, workers: 2 });
  });

  it('--beta1 --beta2 --eps --wd set the optimizer’s hyperparameters, checked as the Train tab checks them', () => {
    const c = configFrom(flags('beta1', '0.8', 'beta2', '0.95', 'eps', '1e-6', 'wd', '0'));
    expect(c.hyper).toEqual({ beta1: 0.8, beta2: 0.95, eps: 1e-6, weightDecay: 0 });
    expect(configFrom(flags('opt', 'momentum', 'beta1', '0.5')).hyper).toEqual({ beta1: 0.5 });
    expect(refused(flags('beta1', '1'))).toBe('--beta1 must be in [0, 1), got 1');
    expect(refused(flags('eps', '0'))).toBe('--eps must be greater than 0, got 0');
    expect(refused(flags('wd', '-0.1'))).toBe('--wd must be 0 or more, got -0.1');
    expect(refused(flags('opt', 'sgd', 'beta1', '0.9'))).toBe('--beta1: sgd has no beta1');
  });

  it('other mistakes name the flag and what is accepted', () => {
    expect(refused(flags('backend', 'auto'))).toBe(
      "--backend 'auto' is not one of wasm, cpu, webgpu",
    );
    expect(refused(flags('backend', 'webgpu', 'workers', '2'))).toBe(
      '--workers: the webgpu backend trains on one GPU, with --workers 1',
    );
    expect(refused(flags('seed', '1.5'))).toBe('--seed must be a whole number, got 1.5');
    expect(configFrom(flags('aug', 'crop,flip', 'aug-per', 'image'))).toMatchObject({
      aug: ['crop', 'flip'],
      augPer: 'image',
    });
    expect(refused(flags('aug-per', 'pixel'))).toBe("--aug-per 'pixel' is not one of batch, image");
    expect(refused(flags('epochs', ''))).toBe('--epochs cannot be empty');
    expect(configFrom(flags('backend', 'webgpu', 'bs', '512'))).toMatchObject({
      workers: 1,
      microBatch: 512,
    });
  });

  it("the micro-batch defaults to a worker's share of the batch, so BatchNorm sees all of it", () => {
    const micro = (...f: string[]): unknown => configFrom(flags(...f)).microBatch;
    expect(micro('workers', '2')).toBe(512);
    expect(micro('workers', '2', 'bs', '600')).toBe(300);
    expect(micro('workers', '2', 'bs', '601')).toBe(301);
    // beyond what a thread's wasm heap holds at once: pieces of 512, each normalised alone
    expect(micro('workers', '2', 'bs', '2048')).toBe(512);
    expect(micro('workers', '1')).toBe(512);
    expect(micro('workers', '1', 'bs', '100')).toBe(100);
    expect(micro('workers', '2', 'micro-batch', '128')).toBe(128);
  });

  it('BatchNorm sees the whole batch when each share goes through in one piece', () => {
    expect(wholeBatchNorm(1024, 2, 512)).toBe(true);
    expect(wholeBatchNorm(608, 2, 512)).toBe(true);
    expect(wholeBatchNorm(1024, 2, 256)).toBe(false);
    expect(wholeBatchNorm(1024, 1, 512)).toBe(false);
    expect(wholeBatchNorm(1024, 3, 342)).toBe(true);
    expect(wholeBatchNorm(1024, 3, 341)).toBe(false);
    expect(wholeBatchNorm(64, 1, 64)).toBe(true);
  });

  it('--help lists every CLI setting of the table, with its default', () => {
    const usage = trainUsage();
    for (const s of TRAIN_SETTINGS) expect(usage).toContain(`--${s.flag}`);
    expect(trainFlags.map((f) => f.name)).toEqual([
      ...TRAIN_SETTINGS.map((s) => s.flag),
      'out',
      'resume',
      'data',
    ]);
    expect(usage).toContain('  --lr X: learning rate, the 1cycle maximum (default 0.01)\n');
    expect(usage).toContain(
      '  --opt NAME: sgd, momentum, rmsprop, adam, adamw; the update rule (default adamw)\n',
    );
    expect(usage).toContain(`(default the ${String(availableParallelism())} cores here;`);
  });
});

describe('--resume: a saved config.json is checked by the same table', () => {
  const run = (config: unknown): string => {
    const dir = mkdtempSync(join(tmpdir(), 'gs-config-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ config }));
    return dir;
  };
  const saved = {
    ...DEFAULT_CONFIG,
    hyper: { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 },
  };

  it('reads a run’s own config back unchanged (one saved before rules and additions existed: none)', async () => {
    const { config, notes } = await savedConfig(run(saved));
    expect(config).toEqual({
      ...saved,
      rule: null,
      schedFormula: null,
      schedEvery: 'batch',
      augPer: 'batch',
      ...NO_ADDITIONS,
    });
    expect(notes).toEqual([]);
  });

  it('a run from a machine with more cores: fewer workers where the training stays the same', async () => {
    const cores = availableParallelism();
    // each of 4,096 workers normalised its 1 image of 8,192 alone: fewer would change that
    const pieces = { ...saved, workers: 4096, bs: 8192, microBatch: 1 };
    const kept = await savedConfig(run(pieces));
    expect(kept.config).toMatchObject({ workers: 4096, microBatch: 1 });
    expect(kept.notes).toEqual([
      `the run used 4096 workers; this machine has ${cores} cores, and fewer workers would change what BatchNorm normalises: keeping 4096, sharing the cores`,
    ]);
    if (cores < 2 || cores >= 1024) return;
    // the whole batch of 1,024 over 1,024 workers: as many as there are cores, each share in one piece
    const whole = { ...saved, workers: 1024, bs: 1024, microBatch: 1 };
    const fewer = await savedConfig(run(whole));
    expect(fewer.config).toMatchObject({ workers: cores, microBatch: Math.ceil(1024 / cores) });
    expect(fewer.notes).toEqual([
      `the run used 1024 workers; this machine has ${cores} cores, so ${cores}`,
    ]);
  });

  it('a wrong value is damage, named in the file’s own words', async () => {
    const cases: [unknown, string][] = [
      [{ ...saved, lr: -1 }, 'damaged (lr must be greater than 0, got -1)'],
      [{ ...saved, opt: 'lion' }, "damaged (opt 'lion' is not one of sgd"],
      [
        { ...saved, hyper: { ...saved.hyper, beta2: 2 } },
        'damaged (beta2 must be in [0, 1), got 2)',
      ],
      [{ ...saved, bs: '1024x' }, "damaged (bs must be a number; '1024x' is not one)"],
      [{ ...saved, aug: ['crop', 7] }, "damaged (aug '7' is not one of crop"],
      [{ ...saved, tta: 'yes' }, 'damaged (tta must be true or false, got yes)'],
      [
        { ...saved, rule: 'param = param - lr*q' },
        "damaged (rule: line 1, column 20 (param): unknown name 'q'",
      ],
    ];
    for (const [config, message] of cases) {
      const dir = run(config);
      await expect(savedConfig(dir)).rejects.toThrow(UsageError);
      await expect(savedConfig(dir)).rejects.toThrow(message);
    }
  });
});

describe('--resume --workers N: another split of the same training, or refused', () => {
  const run = { ...DEFAULT_CONFIG, backend: 'wasm' as const };

  it('keeps BatchNorm over the whole batch: each share in one piece, before and after', () => {
    expect(withWorkers({ ...run, bs: 256, workers: 2, microBatch: 128 }, 1)).toMatchObject({
      workers: 1,
      microBatch: 256,
    });
    expect(withWorkers({ ...run, bs: 1024, workers: 2, microBatch: 512 }, 4)).toMatchObject({
      workers: 4,
      microBatch: 512,
    });
    const same = { ...run, bs: 1024, workers: 2, microBatch: 512 };
    expect(withWorkers(same, 2)).toBe(same);
  });

  it('refuses a split that would change what BatchNorm normalises', () => {
    expect(() => withWorkers({ ...run, bs: 1024, workers: 2, microBatch: 512 }, 1)).toThrow(
      "this run's BatchNorm normalises the whole batch of 1024, and 1 worker(s) cannot hold it",
    );
    expect(() => withWorkers({ ...run, bs: 1024, workers: 1, microBatch: 512 }, 2)).toThrow(
      "this run's BatchNorm normalises each piece of 512 images",
    );
    expect(() =>
      withWorkers({ ...run, backend: 'webgpu', bs: 1024, workers: 1, microBatch: 1024 }, 2),
    ).toThrow('this run trains on the GPU (webgpu), in one worker');
  });
});
