import { byId } from '../dom.ts';
import { autoEntry } from './auto-backend.ts';
import { whereItTrains } from './backend-traits.ts';
import type { BackendSetting, FromWorker } from './protocol.ts';

/**
 * Says where the Train tab trains: in the header, on the line beside the backend menu, in the
 * menu's auto entry (what auto picked) and in the note under it (why auto picked it; a backend
 * that fell back; WebGL in software). Every start replaces all of it, so no note outlives its cause.
 */

const show = (where: string, info: string, note: string, warn: boolean): void => {
  byId('t-where').textContent = where;
  byId('t-backend-info').textContent = info;
  const el = byId('t-backend-note');
  el.textContent = note;
  el.classList.toggle('warn', warn);
};

/** A worker is starting on this setting: nothing is known yet. */
export const showBackendStarting = (setting: BackendSetting): void => {
  show(
    'in your browser',
    setting === 'auto' ? 'finding the fastest backend…' : `starting ${setting}…`,
    '',
    false,
  );
};

/** The worker's backend is up: name it everywhere, and say why or what went wrong. */
export const showBackendReady = (m: Extract<FromWorker, { type: 'ready' }>): void => {
  const where = whereItTrains(m.backend, m.software);
  const auto = byId('t-backend', HTMLSelectElement).querySelector('option[value="auto"]');
  if (auto && m.auto) auto.textContent = autoEntry(m.auto, m.backend);
  show(
    where,
    `running ${where}`,
    [...(m.auto ? [m.auto.why] : []), ...m.notices].join('; '),
    m.notices.length > 0,
  );
};
