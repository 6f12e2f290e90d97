import {
  compareWithLesson,
  LESSON_FIGURES,
  lessonFigureText,
  verdictText,
} from '../../training/index.ts';
import type { RunResult } from '../../training/index.ts';

/** What the comparison reads of a run's result. */
type Finished = Pick<
  RunResult,
  'config' | 'accuracy' | 'plainAccuracy' | 'ttaAccuracy' | 'stopped'
>;

/**
 * The results table's rows for the lesson's challenge: its figure and recipe at the run's epoch
 * budget, then how the run's accuracy without and with TTA stands against it. None for a stopped
 * run, or a budget the lesson has no figure for.
 */
export const lessonRows = (r: Finished): string[][] => {
  const plain = r.stopped ? null : compareWithLesson(r.config.epochs, r.plainAccuracy);
  if (!plain) return [];
  const rows = [
    [`the lesson at ${String(plain.figure.epochs)} epochs`, lessonFigureText(plain.figure)],
    ['this run without TTA', verdictText(plain)],
  ];
  const tta = r.ttaAccuracy === null ? null : compareWithLesson(r.config.epochs, r.ttaAccuracy);
  if (tta) rows.push(['this run with TTA', verdictText(tta)]);
  return rows;
};

const BUDGETS = LESSON_FIGURES.map((f) => String(f.epochs)).join(', ');

/**
 * The run table's cell: how the run's final accuracy (with TTA when it has it) stands against the
 * lesson, with the lesson's recipe as its title; '–' when there is nothing to compare.
 */
export const lessonCell = (r: Finished | null): { text: string; title: string } => {
  const c = !r || r.stopped ? null : compareWithLesson(r.config.epochs, r.accuracy);
  return c
    ? { text: verdictText(c), title: `the lesson: ${lessonFigureText(c.figure)}` }
    : { text: '–', title: `the lesson has figures for ${BUDGETS} epochs, of finished runs` };
};
