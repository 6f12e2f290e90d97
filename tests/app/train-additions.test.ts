import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args.ts';
import { configFrom } from '../../src/cli/train-flags.ts';
import { formatTrainLink, parseTrainLink } from '../../src/app/train/link.ts';
import { describeConfig } from '../../src/app/train/run-record.ts';
import type { Settings } from '../../src/app/train/settings.ts';
import { DEFAULT_SETTINGS, parseSettings, PRESETS } from '../../src/app/train/settings.ts';
import { settingsFromStore, settingsToStore } from '../../src/app/train/settings-storage.ts';
import { ADDITION_SETTINGS } from '../../src/settings/train.ts';
import { NO_ADDITIONS } from '../../src/training/additions/additions.ts';

/** The CLI's message for the same value, as `gradsheet train` prints it. */
const cliMessage = (flag: string, value: string): string => {
  try {
    configFrom(new Map([[flag, value]]));
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  return 'accepted';
};

const WITH_ADDITIONS: Settings = { ...DEFAULT_SETTINGS, labelSmoothing: '0.1', ema: '0.9' };

describe('the training additions in the Train tab', () => {
  it('are off by default, each 0, and a default run trains as before', () => {
    expect(ADDITION_SETTINGS.map((a) => a.key)).toEqual(Object.keys(NO_ADDITIONS));
    expect(DEFAULT_SETTINGS).toMatchObject({
      labelSmoothing: '0',
      ema: '0',
      mixup: '0',
      cutmix: '0',
      ttaViews: '0',
    });
    expect(parseSettings(DEFAULT_SETTINGS).config).toMatchObject(NO_ADDITIONS);
  });

  it('reach the run’s config, on one worker, so label smoothing and mixup may train', () => {
    const { config, errors } = parseSettings({ ...WITH_ADDITIONS, mixup: '0.4', ttaViews: '2' });
    expect(errors).toEqual({});
    expect(config).toMatchObject({
      labelSmoothing: 0.1,
      ema: 0.9,
      mixup: 0.4,
      cutmix: 0,
      ttaViews: 2,
      workers: 1,
    });
  });

  it('refuse what cannot train with the table’s message, the CLI’s but for the subject', () => {
    const cases: [keyof Settings, string, string, string][] = [
      ['ema', 'ema', '-1', 'the EMA decay must be a decay in [0, 1), got -1'],
      ['ema', 'ema', '1.5', 'the EMA decay must be a decay in [0, 1), got 1.5'],
      ['labelSmoothing', 'label-smoothing', '1', 'label smoothing must be in [0, 1), got 1'],
      ['mixup', 'mixup', '-0.5', 'mixup must be 0 or more, got -0.5'],
      ['cutmix', 'cutmix', 'lots', "CutMix must be a number; 'lots' is not one"],
      ['ttaViews', 'tta-views', '2.5', 'the extra TTA views must be a whole number 0…4, got 2.5'],
      ['ttaViews', 'tta-views', '5', 'the extra TTA views must be a whole number 0…4, got 5'],
      ['ema', 'ema', '', 'the EMA decay cannot be empty'],
    ];
    for (const [key, flag, value, message] of cases) {
      const { config, errors } = parseSettings({ ...DEFAULT_SETTINGS, [key]: value });
      expect(config).toBeNull();
      expect(errors).toEqual({ [key]: message });
      const [subject] = message.split(/ (?=must|cannot)/);
      expect(cliMessage(flag, value)).toBe(message.replace(subject ?? '', `--${flag}`));
    }
  });

  it('refuse mixup and CutMix together, marking CutMix', () => {
    expect(parseSettings({ ...DEFAULT_SETTINGS, mixup: '0.4', cutmix: '1' }).errors).toEqual({
      cutmix: 'CutMix: choose mixup or CutMix, not both',
    });
  });

  it('travel in the link by their CLI flags; a bad one is skipped with the table’s message', () => {
    const hash = formatTrainLink(WITH_ADDITIONS);
    expect(hash).toBe('label-smoothing=0.1&ema=0.9');
    expect(parseTrainLink(`#${hash}`)).toEqual({ settings: WITH_ADDITIONS, errors: [] });
    const { settings, errors } = parseTrainLink('#ema=1.5&label-smoothing=0.2&tta-views=9');
    expect(errors).toEqual([
      'link: ignored ema=1.5: the EMA decay must be a decay in [0, 1), got 1.5',
      'link: ignored tta-views=9: the extra TTA views must be a whole number 0…4, got 9',
    ]);
    expect(settings).toEqual({ ...DEFAULT_SETTINGS, labelSmoothing: '0.2' });
  });

  it('are kept with the stored form; a form stored before them reads them as off', () => {
    expect(settingsFromStore(settingsToStore(WITH_ADDITIONS))).toEqual(WITH_ADDITIONS);
    const before = Object.fromEntries(
      Object.entries(WITH_ADDITIONS).filter(([k]) => !(k in NO_ADDITIONS)),
    );
    expect(Object.keys(before)).not.toContain('ema');
    expect(settingsFromStore(JSON.stringify({ ...before, version: 2 }))).toEqual(DEFAULT_SETTINGS);
  });

  it('show in the run table’s settings, named as the CLI’s flags', () => {
    const { config } = parseSettings({ ...WITH_ADDITIONS, ttaViews: '2' });
    expect(config && describeConfig(config)).toBe(
      'resnet-small · adamw 0.01 · onecycle · 5 ep · bs 1024 · label-smoothing 0.1 · ema 0.9 · tta-views 2',
    );
  });

  it('are turned off by the presets: all of them by the lesson’s, all but their own by ours', () => {
    for (const p of PRESETS) {
      const { config } = parseSettings({ ...WITH_ADDITIONS, mixup: '0.4', ...p.settings });
      // what a preset uses of them, as numbers (the lesson trained without any)
      const own = Object.fromEntries(
        Object.entries(p.settings)
          .filter(([k, v]) => k in NO_ADDITIONS && Number(v) !== 0)
          .map(([k, v]) => [k, Number(v)]),
      );
      if (p.kind === 'lesson') expect(own, p.label).toEqual({});
      expect(config, p.label).toMatchObject({ ...NO_ADDITIONS, ...own });
    }
    // a preset's own addition wins over what the form held (0.3 here)
    const smoothing = PRESETS.filter((p) => p.settings.labelSmoothing !== undefined);
    expect(smoothing.length).toBeGreaterThan(0);
    for (const p of smoothing)
      expect(
        parseSettings({ ...WITH_ADDITIONS, labelSmoothing: '0.3', ...p.settings }).config
          ?.labelSmoothing,
        p.label,
      ).toBe(Number(p.settings.labelSmoothing));
  });
});
