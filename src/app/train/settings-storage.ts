import type { Settings } from './settings.ts';
import { DEFAULT_SETTINGS } from './settings.ts';
import { BACKEND_SETTINGS } from './protocol.ts';

/** Where the Train tab keeps its form between visits (localStorage). */
export const SETTINGS_KEY = 'gradsheet:train-settings';

/**
 * The stored form's version. Version 2 added the 'auto' backend. Before it, WebGL was the default
 * and every visit saved the whole form, so a stored 'webgl' without a version is most likely the
 * old default, not a choice: it reads as 'auto'. Any other stored backend was picked by hand.
 */
const VERSION = 2;

/** The form as stored: the settings and the version they were saved by. */
export const settingsToStore = (s: Settings): string => JSON.stringify({ ...s, version: VERSION });

/** The stored form over the defaults; the defaults alone when nothing (readable) is stored. */
export const settingsFromStore = (raw: string | null): Settings => {
  let stored: unknown;
  try {
    stored = raw === null ? null : JSON.parse(raw);
  } catch {
    return DEFAULT_SETTINGS;
  }
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored))
    return DEFAULT_SETTINGS;
  const { version, ...fields } = stored as Partial<Settings> & { version?: unknown };
  const s: Settings = { ...DEFAULT_SETTINGS, ...fields };
  const known = (BACKEND_SETTINGS as readonly string[]).includes(s.backend);
  const oldDefault = version !== VERSION && s.backend === 'webgl';
  return known && !oldDefault ? s : { ...s, backend: 'auto' };
};
