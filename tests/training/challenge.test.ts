import { describe, expect, it } from 'vitest';
import { challengeLine, lessonFigureFor } from '../../src/training/challenge.ts';

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
