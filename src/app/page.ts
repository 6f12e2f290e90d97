import type { Steps, Workbook } from '../sheet/index.ts';
import type { Say } from './messages.ts';
import type { Session } from './session.ts';

/** What the Sheet tab's forms, buttons and grid need from the page (main.ts wires it). */
export interface SheetPage {
  readonly session: Session;
  readonly workbook: () => Workbook;
  readonly say: Say;
  readonly refuseWhileBusy: () => boolean;
  /** Redraws the grid, charts and tabs, names any fault on the sheet, and writes the link. */
  readonly render: () => void;
  /** Shows the selected cell's formula (or value) in the formula bar. */
  readonly showFormula: () => void;
  /** Runs a job on the workbook with the progress bar, then redraws and says its note. */
  readonly act: (title: string, steps: Steps<string>) => void;
}
