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

/** A run's accuracy beside the lesson's at the same epoch budget. */
export interface LessonComparison {
  readonly figure: LessonFigure;
  readonly accuracy: number;
  /** The run's accuracy minus the lesson's, in points (percent), rounded to 0.01. */
  readonly points: number;
}

/** The comparison for a run of `epochs` epochs, or null when the lesson has no figure for them. */
export const compareWithLesson = (epochs: number, accuracy: number): LessonComparison | null => {
  const figure = lessonFigureFor(epochs);
  if (!figure || !Number.isFinite(accuracy)) return null;
  return { figure, accuracy, points: Math.round((accuracy - figure.accuracy) * 10_000) / 100 };
};

const pct = (a: number): string => `${(a * 100).toFixed(2)}%`;

/** The lesson's figure as the Train tab shows it: "93.40% (resnet-wide, AdamW, 1cycle at 1e-2)". */
export const lessonFigureText = (f: LessonFigure): string => `${pct(f.accuracy)} (${f.recipe})`;

/**
 * How a run stands against the lesson, in points: "0.59 points below the lesson's 93.40% at 5
 * epochs", "beats the lesson's 94.50% at 20 epochs by 0.12 points", "level with …".
 */
export const verdictText = (c: LessonComparison): string => {
  const lesson = `the lesson's ${pct(c.figure.accuracy)} at ${String(c.figure.epochs)} epochs`;
  if (c.points > 0) return `beats ${lesson} by ${c.points.toFixed(2)} points`;
  if (c.points < 0) return `${(-c.points).toFixed(2)} points below ${lesson}`;
  return `level with ${lesson}`;
};

/**
 * One line comparing a finished run with the lesson at the same budget, in points (percent):
 * "the lesson at 5 epochs: 93.40% (resnet-wide, …); this run: 92.81%, 0.59 points below".
 */
export const challengeLine = (epochs: number, accuracy: number): string | null => {
  const c = compareWithLesson(epochs, accuracy);
  if (!c) return null;
  const verdict =
    c.points > 0
      ? `${c.points.toFixed(2)} points above: the lesson is beaten`
      : c.points < 0
        ? `${(-c.points).toFixed(2)} points below`
        : 'level with it';
  return `the lesson at ${String(epochs)} epochs: ${lessonFigureText(c.figure)}; this run: ${pct(accuracy)}, ${verdict}`;
};
