/**
 * The lesson's Fashion-MNIST challenge (docs/lesson.md §6): its best validation accuracy at each
 * epoch budget, to show beside a run's own. tfjs-free, so the Train page and the CLI share it.
 */
export interface LessonFigure {
  readonly epochs: number;
  readonly accuracy: number;
  /** How the lesson got it. */
  readonly recipe: string;
}

export const LESSON_FIGURES: readonly LessonFigure[] = [
  { epochs: 5, accuracy: 0.934, recipe: 'resnet-wide, AdamW, 1cycle at 1e-2' },
  { epochs: 20, accuracy: 0.945, recipe: 'resnet-wide, crop + flip, 1cycle at 1e-2, flip TTA' },
  {
    epochs: 50,
    accuracy: 0.949,
    recipe: 'resnet-wide, crop + flip + random erase, 1cycle at 2e-2',
  },
];

/** The lesson's figure for exactly this epoch budget, if the challenge has one. */
export const lessonFigureFor = (epochs: number): LessonFigure | null =>
  LESSON_FIGURES.find((f) => f.epochs === epochs) ?? null;

/**
 * One line comparing a finished run with the lesson at the same budget, in points (percent):
 * "the lesson at 5 epochs: 93.40% (resnet-wide, …); this run: 92.81%, 0.59 points below".
 */
export const challengeLine = (epochs: number, accuracy: number): string | null => {
  const f = lessonFigureFor(epochs);
  if (!f || !Number.isFinite(accuracy)) return null;
  const points = Math.round((accuracy - f.accuracy) * 10_000) / 100;
  const verdict =
    points > 0
      ? `${points.toFixed(2)} points above: the lesson is beaten`
      : points < 0
        ? `${(-points).toFixed(2)} points below`
        : 'level with it';
  const pct = (a: number): string => `${(a * 100).toFixed(2)}%`;
  return `the lesson at ${epochs} epochs: ${pct(f.accuracy)} (${f.recipe}); this run: ${pct(accuracy)}, ${verdict}`;
};
