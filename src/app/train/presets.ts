import { byId } from '../dom.ts';
import { readSettings, writeSettings } from './form.ts';
import { say } from './message.ts';
import { describeConfig } from './run-record.ts';
import type { parseSettings } from './settings.ts';
import { PRESETS } from './settings.ts';

/** One button per lesson preset: it sets those fields over the form and says what it set. */
export const renderPresets = (check: () => ReturnType<typeof parseSettings>): void => {
  const presets = byId('t-presets');
  for (const p of PRESETS) {
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
