import { describe, expect, it } from 'vitest';
import {
  challengeLine,
  compareWithLesson,
  LESSON_FIGURES,
  lessonFigureFor,
  lessonFigureText,
  verdictText,
} from '../../src/training/run/challenge.ts';

describe('the lesson’s challenge figures', () => {
  it('are the notebook’s best at 5, 20 and 50 epochs, and nothing at other budgets', () => {
    expect([5, 20, 50].map((e) => lessonFigureFor(e)?.accuracy)).toEqual([0.934, 0.945, 0.949]);
    expect(lessonFigureFor(3)).toBeNull();
    expect(lessonFigureFor(25)).toBeNull();
  });
  it('say how a run compares, in points', () => {
    expect(challengeLine(5, 0.9281)).toBe(
      'the lesson at 5 epochs: 93.40% (resnet-wide, AdamW, 1cycle at 1e-2); this run: 92.81%, 0.59 points below',
    );
    expect(challengeLine(20, 0.9462)).toMatch(
      /this run: 94\.62%, 0\.12 points above: the lesson is beaten$/,
    );
    expect(challengeLine(50, 0.949)).toMatch(/level with it$/);
    expect(challengeLine(7, 0.95)).toBeNull();
    expect(challengeLine(5, NaN)).toBeNull();
  });
});

describe('the comparison with the lesson, as the Train tab shows it', () => {
  it('holds the figure and the difference in points', () => {
    expect(compareWithLesson(5, 0.9281)).toEqual({
      figure: { epochs: 5, accuracy: 0.934, recipe: 'resnet-wide, AdamW, 1cycle at 1e-2' },
      accuracy: 0.9281,
      points: -0.59,
    });
    expect(compareWithLesson(1, 0.9)).toBeNull();
    expect(compareWithLesson(20, NaN)).toBeNull();
  });
  it('says below, beats or level, with the lesson’s figure and budget', () => {
    const say = (epochs: number, a: number): string => {
      const c = compareWithLesson(epochs, a);
      return c ? verdictText(c) : 'none';
    };
    expect(say(5, 0.9281)).toBe("0.59 points below the lesson's 93.40% at 5 epochs");
    expect(say(20, 0.9462)).toBe("beats the lesson's 94.50% at 20 epochs by 0.12 points");
    expect(say(50, 0.949)).toBe("level with the lesson's 94.90% at 50 epochs");
    expect(LESSON_FIGURES.map(lessonFigureText)).toEqual([
      '93.40% (resnet-wide, AdamW, 1cycle at 1e-2)',
      '94.50% (resnet-wide, crop + flip, 1cycle at 1e-2, flip TTA)',
      '94.90% (resnet-wide, crop + flip + random erase, 1cycle at 2e-2)',
    ]);
  });
});
