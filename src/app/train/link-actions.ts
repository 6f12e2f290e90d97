import { button, readSettings, writeSettings } from './form.ts';
import { formatTrainLink, parseTrainLink } from './link.ts';
import { say } from './message.ts';
import { describeConfig } from './run-record.ts';
import type { parseSettings } from './settings.ts';

/**
 * The page's link: opening one (or changing the part after `#`) sets the form from it, saying
 * what it ignored; Copy link writes the setup into the URL and copies it. `written` runs after
 * the form is set and returns its check. Returns the way to apply the current link.
 */
export const wireLink = (written: () => ReturnType<typeof parseSettings>): (() => void) => {
  const applyLink = (): void => {
    const { settings, errors: ignored } = parseTrainLink(location.hash);
    writeSettings(settings);
    const { config } = written();
    if (ignored.length) say(ignored.join('; '), 'error');
    else if (config) say(`settings from the link: ${describeConfig(config)}`);
  };
  window.addEventListener('hashchange', applyLink);
  button('t-copy-link').onclick = () => {
    const hash = formatTrainLink(readSettings());
    history.replaceState(null, '', hash ? `#${hash}` : location.pathname + location.search);
    navigator.clipboard.writeText(location.href).then(
      () => {
        say('link copied: it reproduces these settings');
      },
      () => {
        say(`copy this link: ${location.href}`);
      },
    );
  };
  return applyLink;
};
