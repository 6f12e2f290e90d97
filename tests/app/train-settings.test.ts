import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  browserCores,
  browserCoresAre,
  DEFAULT_SETTINGS,
  formValue,
  MAX_BROWSER_WORKERS,
  parseSettings,
  PRESETS,
} from '../../src/app/train/settings.ts';
import type { Settings } from '../../src/app/train/settings.ts';
import { buildConfig, settingByKey } from '../../src/settings/train.ts';
import { lessonFigureFor } from '../../src/training/run/challenge.ts';
import type { TrainConfig } from '../../src/training/run/config.ts';
import { DEFAULT_CONFIG } from '../../src/training/run/run.ts';

/** A line of docs/results.jsonl (scripts/record-run.ts). */
interface RecordedRun {
  readonly config: TrainConfig;
  readonly finished: boolean;
  readonly final: number | null;
}

describe('the Train tab settings', () => {
  it("default to the lesson recipe, on the 'auto' backend, in micro-batches until it is resolved", () => {
    const { config, errors } = parseSettings(DEFAULT_SETTINGS);
    expect(errors).toEqual({});
    expect(config).toMatchObject({
      model: DEFAULT_CONFIG.model,
      opt: 'adamw',
      lr: 0.01,
      sched: 'onecycle',
      epochs: 5,
      bs: 1024,
      backend: 'auto',
      microBatch: 256,
      hyper: { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 },
    });
  });

  it('refuse impossible values, naming each field and what is wrong', () => {
    const { config, errors } = parseSettings({
      ...DEFAULT_SETTINGS,
      lr: '-1',
      bs: '0',
      epochs: 'five',
      subset: '2.5',
      hyper: { ...DEFAULT_SETTINGS.hyper, beta1: '1.5', eps: '0' },
    });
    expect(config).toBeNull();
    expect(errors).toEqual({
      lr: 'the learning rate must be greater than 0, got -1',
      bs: 'the batch size must be a whole number ≥ 1, got 0',
      epochs: "epochs must be a number; 'five' is not one",
      subset: 'the subset must be a whole number ≥ 1, got 2.5',
      'hyper.beta1': 'beta1 must be in [0, 1), got 1.5',
      'hyper.eps': 'eps must be greater than 0, got 0',
    });
  });

  it('put the whole batch through the model on a GPU backend', () => {
    expect(parseSettings({ ...DEFAULT_SETTINGS, backend: 'webgl' }).config?.microBatch).toBe(1024);
    expect(parseSettings({ ...DEFAULT_SETTINGS, backend: 'webgpu' }).config?.microBatch).toBe(1024);
  });

  it('refuse a backend that does not exist, naming the ones that do', () => {
    const { config, errors } = parseSettings({ ...DEFAULT_SETTINGS, backend: 'cuda' });
    expect(config).toBeNull();
    expect(errors).toEqual({
      backend: "backend 'cuda' is not one of auto, webgl, webgpu, wasm, cpu",
    });
  });

  it('accept a run of a single step (it trains: 1cycle takes it at the peak lr)', () => {
    const { config, errors } = parseSettings({
      ...DEFAULT_SETTINGS,
      epochs: '1',
      subset: '1024',
      bs: '1024',
    });
    expect(errors).toEqual({});
    expect(config).toMatchObject({ epochs: 1, subset: 1024, bs: 1024, sched: 'onecycle' });
  });

  it('refuse a subset larger than the 60,000 training images, in the user’s words', () => {
    expect(parseSettings({ ...DEFAULT_SETTINGS, subset: '100000' }).errors).toEqual({
      subset:
        'the subset must be at most 60,000, the training images there are (leave it empty for all), got 100000',
    });
    expect(parseSettings({ ...DEFAULT_SETTINGS, subset: '60000' }).config?.subset).toBe(60000);
  });

  it('split the batch into micro-batches of 256 on the CPU backends', () => {
    const { config } = parseSettings({ ...DEFAULT_SETTINGS, backend: 'wasm' });
    expect(config?.microBatch).toBe(256);
    expect(
      parseSettings({ ...DEFAULT_SETTINGS, backend: 'wasm', bs: '64' }).config?.microBatch,
    ).toBe(64);
  });

  it('presets reproduce the lesson runs (docs/lesson.md §5.1, §5.6)', () => {
    const configs = PRESETS.filter((p) => p.kind === 'lesson').map(
      (p) => parseSettings({ ...DEFAULT_SETTINGS, ...p.settings }).config,
    );
    expect(configs.map((c) => [c?.model, c?.epochs, c?.lr, c?.aug, c?.tta])).toEqual([
      ['resnet-small', 5, 0.01, [], false],
      ['resnet-wide', 20, 0.01, ['crop', 'flip'], true],
      ['resnet-wide', 50, 0.02, ['crop', 'flip', 'erase'], false],
    ]);
  });

  it('the challenge presets are the recorded runs that beat the lesson (docs/results.jsonl)', () => {
    const runs = readFileSync('docs/results.jsonl', 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as RecordedRun);
    const challenge = PRESETS.filter((p) => p.kind === 'challenge');
    expect(challenge.length).toBeGreaterThan(0);
    for (const p of challenge) {
      const config = parseSettings({ ...DEFAULT_SETTINGS, ...p.settings }).config;
      if (!config) throw new Error(`preset ${p.label} does not parse`);
      const same = (r: RecordedRun): boolean =>
        (['model', 'epochs', 'lr', 'opt', 'sched', 'bs', 'tta', 'ensemble'] as const).every(
          (k) => r.config[k] === config[k],
        ) &&
        r.config.aug.join() === config.aug.join() &&
        (['labelSmoothing', 'ema', 'mixup', 'cutmix', 'ttaViews'] as const).every(
          (k) => (r.config[k] ?? 0) === (config[k] ?? 0),
        ) &&
        (r.config.augPer ?? 'batch') === config.augPer;
      const beaten = runs.filter((r) => {
        const figure = lessonFigureFor(r.config.epochs);
        return r.finished && same(r) && figure !== null && (r.final ?? 0) > figure.accuracy;
      });
      expect(beaten.length, p.label).toBeGreaterThan(0);
    }
  });

  describe('gradient workers', () => {
    const inBrowser = (cores: number, s: Partial<Settings>) =>
      buildConfig(
        'tab',
        { kind: 'browser', cores },
        (setting) => formValue({ ...DEFAULT_SETTINGS, ...s }, setting.key),
        (setting) => setting.label,
      );

    it('the cores the browser reports, at most MAX_BROWSER_WORKERS, 1 where it reports none', () => {
      expect(browserCores(4)).toBe(4);
      expect(browserCores(64)).toBe(MAX_BROWSER_WORKERS);
      expect(browserCores(undefined)).toBe(1);
      expect(browserCores(0)).toBe(1);
    });

    it('default to every core on wasm and auto, 1 on a GPU backend; an empty field is the default', () => {
      expect(inBrowser(4, { backend: 'auto' }).config?.workers).toBe(4);
      expect(inBrowser(4, { backend: 'wasm', workers: ' ' }).config?.workers).toBe(4);
      expect(inBrowser(4, { backend: 'webgl' }).config?.workers).toBe(1);
      expect(inBrowser(4, { backend: 'webgpu' }).config?.workers).toBe(1);
      expect(inBrowser(4, { backend: 'wasm', workers: '3' }).config?.workers).toBe(3);
    });

    it("each worker's share of the batch goes through in one piece, so BatchNorm sees the whole batch", () => {
      expect(inBrowser(2, { bs: '64' }).config).toMatchObject({ workers: 2, microBatch: 32 });
      expect(inBrowser(2, { bs: '1024' }).config).toMatchObject({ workers: 2, microBatch: 256 });
    });

    it('on a GPU backend, a number other than 1 is refused, saying why', () => {
      for (const backend of ['webgl', 'webgpu'])
        expect(inBrowser(4, { backend, workers: '2' }).errors).toEqual({
          workers: `workers: ${backend} trains on the GPU, in one worker: leave workers empty (or 1)`,
        });
      expect(inBrowser(4, { backend: 'webgl', workers: '1' }).config?.workers).toBe(1);
    });

    it('say what the page counts: the cores reported, or its own limit of 8', () => {
      expect(browserCoresAre(2)).toBe('the cores this browser reports');
      expect(browserCoresAre(8)).toBe('the cores this browser reports');
      expect(browserCoresAre(16)).toBe(
        'the most a page starts, of the 16 cores this browser reports',
      );
      const env = {
        kind: 'browser',
        cores: browserCores(16),
        coresAre: browserCoresAre(16),
      } as const;
      const workers = settingByKey('workers');
      expect(workers?.check?.(9, env)).toBe(
        'must be at most 8, the most a page starts, of the 16 cores this browser reports (more would only wait for a core)',
      );
    });

    it('are checked with the CLI’s message', () => {
      expect(inBrowser(4, { workers: '5' }).errors).toEqual({
        workers:
          'workers must be at most 4, the cores of this machine (more would only wait for a core), got 5',
      });
      expect(inBrowser(4, { workers: '0' }).errors).toEqual({
        workers: 'workers must be a whole number ≥ 1, got 0',
      });
      expect(inBrowser(4, { workers: 'two' }).errors).toEqual({
        workers: "workers must be a number; 'two' is not one",
      });
    });

    it('stay every core with label smoothing, mixup or CutMix (the workers train on soft targets)', () => {
      const workers = settingByKey('workers');
      const env = { kind: 'browser', cores: 4 } as const;
      for (const extra of [{ labelSmoothing: 0.1 }, { mixup: 0.4 }, { cutmix: 1 }])
        expect(workers?.default({ env, values: { backend: 'auto', ...extra } })).toBe(4);
      expect(workers?.default({ env, values: { backend: 'webgl' } })).toBe(1);
    });
  });
});
