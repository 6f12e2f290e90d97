import { byId } from '../dom.ts';
import { readSettings, writeSettings } from './form.ts';
import { say } from './message.ts';
import { describeConfig } from './run-record.ts';
import type { parseSettings } from './settings.ts';
import { PRESETS } from './settings.ts';

/**
 * One button per preset, the lesson's then those that beat it: each sets its fields over the form
 * and says what it set.
 */
export const renderPresets = (check: () => ReturnType<typeof parseSettings>): void => {
  for (const p of PRESETS) {
    const presets = byId(p.kind === 'lesson' ? 't-presets' : 't-challenge-presets');
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = p.label;
    b.onclick = () => {
      writeSettings({ ...readSettings(), ...p.settings });
      const { config } = check();
      say(
        config
          ? `preset “${p.label}”: ${describeConfig(config)}`
          : `preset “${p.label}”: fix the marked settings first`,
      );
    };
    presets.append(b);
  }
};
