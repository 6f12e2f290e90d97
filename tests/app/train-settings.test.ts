import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, parseSettings, PRESETS } from '../../src/app/train/settings.ts';
import { DEFAULT_CONFIG } from '../../src/training/run/run.ts';

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
    const configs = PRESETS.map(
      (p) => parseSettings({ ...DEFAULT_SETTINGS, ...p.settings }).config,
    );
    expect(configs.map((c) => [c?.model, c?.epochs, c?.lr, c?.aug, c?.tta])).toEqual([
      ['resnet-small', 5, 0.01, [], false],
      ['resnet-wide', 20, 0.01, ['crop', 'flip'], true],
      ['resnet-wide', 50, 0.02, ['crop', 'flip', 'erase'], false],
    ]);
  });
});
