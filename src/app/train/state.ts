import type { FieldErrors } from './settings.ts';
import type { RunRecord } from './run-record.ts';

/** What the Train tab is doing: one request to the worker at a time. */
export type Busy = 'train' | 'lrFind' | 'evaluate' | null;

/** Everything the Train tab's page changes while it runs, in one place. */
export interface TrainState {
  busy: Busy;
  /** The form's current problems, by field name. */
  errors: FieldErrors;
  /** Every run in the run table, oldest first. */
  runs: RunRecord[];
  /** The run the charts, epoch table and results show. */
  current: RunRecord | null;
  /** Runs ticked to be overlaid on the charts. */
  readonly overlays: Set<string>;
  /** lr_find's last suggestion. */
  suggestion: number | null;
}

export const createState = (): TrainState => ({
  busy: null,
  errors: {},
  runs: [],
  current: null,
  overlays: new Set(),
  suggestion: null,
});
