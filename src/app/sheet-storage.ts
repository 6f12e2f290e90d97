/**
 * Where the Sheet tab keeps its state between visits (localStorage): the hash of its link, so a
 * user's rule sheets are stored as `rule.<sheet>=<text>` entries (src/sheet/url-state.ts).
 */
export const SHEET_STATE_KEY = 'gradsheet:state';
