import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/app/train/settings.ts';
import { settingsFromStore, settingsToStore } from '../../src/app/train/settings-storage.ts';

/** The form as the version before 'auto' saved it: no version, and WebGL by default. */
const oldForm = (backend: string): string =>
  JSON.stringify({ ...DEFAULT_SETTINGS, lr: '0.003', epochs: '7', backend });

describe('the stored Train settings', () => {
  it('come back as they were saved, an explicit backend included', () => {
    for (const backend of ['auto', 'webgl', 'webgpu', 'wasm', 'cpu']) {
      const s = { ...DEFAULT_SETTINGS, lr: '0.003', backend };
      expect(settingsFromStore(settingsToStore(s))).toEqual(s);
    }
  });

  it("read a 'webgl' saved before 'auto' existed as auto (it was the old default)", () => {
    const s = settingsFromStore(oldForm('webgl'));
    expect(s.backend).toBe('auto');
    expect([s.lr, s.epochs]).toEqual(['0.003', '7']); // the rest of the form is kept
  });

  it('keep any other backend an older version stored: that one was picked by hand', () => {
    expect(settingsFromStore(oldForm('wasm')).backend).toBe('wasm');
    expect(settingsFromStore(oldForm('webgpu')).backend).toBe('webgpu');
  });

  it('fall back to the defaults, or to auto, for what cannot be read', () => {
    expect(settingsFromStore(null)).toEqual(DEFAULT_SETTINGS);
    expect(settingsFromStore('{not json')).toEqual(DEFAULT_SETTINGS);
    expect(settingsFromStore('[1,2]')).toEqual(DEFAULT_SETTINGS);
    expect(settingsFromStore(JSON.stringify({ version: 2, backend: 'cuda', bs: '64' }))).toEqual({
      ...DEFAULT_SETTINGS,
      bs: '64',
      backend: 'auto',
    });
  });
});
