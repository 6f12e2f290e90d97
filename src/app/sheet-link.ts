import type { AnySheet, AppState, Workbook } from '../sheet/index.ts';
import { formatState, parseState } from '../sheet/index.ts';
import { fromLink } from './link-state.ts';
import type { Performer } from './perform.ts';
import { SHEET_STATE_KEY } from './sheet-storage.ts';

export interface SheetLinkHost {
  readonly isBusy: () => boolean;
  readonly perform: Performer['perform'];
  /** The link's workbook is built: show it, and name the parts of the link that were ignored. */
  readonly opened: (next: Workbook, sheet: AnySheet, errors: readonly string[]) => void;
}

export interface SheetLink {
  /** Opens a link (on load, or typed into the address bar): the good parts apply, the rest is named. */
  readonly open: (hash: string) => Promise<void>;
  /** Puts the page's state in the address bar and in local storage (what a reload opens). */
  readonly write: (state: AppState) => void;
  /** Opens a link typed into the address bar while a job ran, if there was one. */
  readonly openPending: () => void;
  /** The link to open on load: the address bar's, or the one saved last. */
  readonly initial: () => string;
}

/** The page's link: the URL holds the whole state, and a link typed into the address bar opens. */
export const createSheetLink = (host: SheetLinkHost): SheetLink => {
  /** The hash this page wrote last: a different one is a link typed into the address bar. */
  let shownHash = '';
  /** A link typed into the address bar while a job ran: opened when it ends. */
  let pendingLink: string | null = null;

  const open = async (hash: string): Promise<void> => {
    const { state: s, errors } = parseState(hash);
    shownHash = hash.replace(/^#/, ''); // a link that cannot be built is not retried in a loop
    await host.perform('opening the link', fromLink(s), (next) => {
      host.opened(next, s.sheet, errors);
    });
  };

  window.addEventListener('hashchange', () => {
    if (location.hash.slice(1) === shownHash) return;
    if (!host.isBusy()) void open(location.hash);
    else pendingLink = location.hash; // opened when the job ends
  });

  return {
    open,
    write(state) {
      shownHash = formatState(state);
      history.replaceState(null, '', `#${shownHash}`);
      localStorage.setItem(SHEET_STATE_KEY, shownHash);
    },
    openPending() {
      if (pendingLink === null) return;
      const hash = pendingLink;
      pendingLink = null;
      void open(hash);
    },
    initial: () =>
      location.hash.length > 1 ? location.hash : (localStorage.getItem(SHEET_STATE_KEY) ?? ''),
  };
};
