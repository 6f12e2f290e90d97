import { describe, expect, it } from 'vitest';
import { formatTrainLink, parseTrainLink } from '../../src/app/train/link.ts';
import type { Settings } from '../../src/app/train/settings.ts';
import { BROWSER_ENV, DEFAULT_SETTINGS, parseSettings } from '../../src/app/train/settings.ts';

describe('the Train tab link', () => {
  it('round-trips a setup: settings → URL hash → the same settings and config', () => {
    const s: Settings = {
      ...DEFAULT_SETTINGS,
      model: 'cnn',
      opt: 'adam',
      lr: '0.003',
      hyper: { beta1: '0.95', beta2: '0.99', eps: '1e-6' },
      sched: 'cosine',
      epochs: '3',
      bs: '256',
      aug: ['crop', 'flip'],
      tta: true,
      ensemble: '2',
      seed: '7',
      subset: '2048',
      backend: 'wasm',
    };
    const hash = formatTrainLink(s);
    expect(hash).toBe(
      'model=cnn&lr=0.003&opt=adam&beta1=0.95&eps=1e-6&sched=cosine&epochs=3&bs=256&aug=crop%2Cflip&tta=true&ensemble=2&seed=7&subset=2048&backend=wasm',
    );
    const back = parseTrainLink(`#${hash}`);
    expect(back.errors).toEqual([]);
    expect(back.settings).toEqual(s);
    expect(parseSettings(back.settings).config).toEqual(parseSettings(s).config);
  });

  it('is empty for the defaults, and an empty link gives the defaults', () => {
    expect(formatTrainLink(DEFAULT_SETTINGS)).toBe('');
    expect(parseTrainLink('')).toEqual({ settings: DEFAULT_SETTINGS, errors: [] });
  });

  it('an untrusted link: each bad entry is reported and skipped, the rest applies', () => {
    const { settings, errors } = parseTrainLink(
      '#lr=-1&bs=64&opt=sgd&beta1=0.9&backend=cuda&aug=crop,zoom&workers=64&micro-batch=32&frob=1&epochs=%3Cscript%3E&seed=9',
    );
    expect(errors).toEqual([
      'link: ignored lr=-1: the learning rate must be greater than 0, got -1',
      'link: ignored beta1=0.9: sgd has no beta1',
      "link: ignored backend=cuda: backend 'cuda' is not one of auto, webgl, webgpu, wasm, cpu",
      "link: ignored aug=crop,zoom: aug 'zoom' is not one of crop, flip, erase, copy",
      `link: ignored workers=64: workers must be at most ${String(BROWSER_ENV.cores)}, the cores this browser reports (more would only wait for a core), got 64`,
      "link: ignored micro-batch=32: there is no setting 'micro-batch' in the Train tab",
      "link: ignored frob=1: there is no setting 'frob' in the Train tab",
      "link: ignored epochs=<script>: epochs must be a number; '<script>' is not one",
    ]);
    expect(settings).toEqual({
      ...DEFAULT_SETTINGS,
      bs: '64',
      opt: 'sgd',
      hyper: {},
      seed: '9',
    });
    expect(parseSettings(settings).errors).toEqual({});
  });
});
