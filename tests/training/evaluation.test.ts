import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/training/run/evaluation.ts';

describe('evaluate', () => {
  it('counts the confusion matrix, per-class accuracy and ranks mistakes by confidence', () => {
    // 3 classes, 5 images: logits chosen so the softmax of each row is easy to check
    const logits = Float32Array.from(
      [
        [5, 0, 0], // label 0, right
        [0, 2, 0], // label 0, predicted 1: p = e²/(e²+2)
        [0, 0, 9], // label 1, predicted 2: p = e⁹/(e⁹+2), the most confident mistake
        [0, 3, 0], // label 1, right
        [1, 1, 4], // label 2, right
      ].flat(),
    );
    const targets = Int32Array.from([0, 0, 1, 1, 2]);
    const e = evaluate({ logits, targets }, 16, 3);
    expect(e.accuracy).toBe(3 / 5);
    expect(e.confusion).toEqual([
      [1, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    expect(e.perClass).toEqual([0.5, 0.5, 1]);
    expect(e.mistakes.map((m) => [m.index, m.label, m.pred])).toEqual([
      [2, 1, 2],
      [1, 0, 1],
    ]);
    expect(e.mistakes[0]?.confidence).toBeCloseTo(Math.exp(9) / (Math.exp(9) + 2), 6);
    expect(e.mistakes[1]?.confidence).toBeCloseTo(Math.exp(2) / (Math.exp(2) + 2), 6);
  });

  it('keeps only the worst N and says NaN for a class without images', () => {
    const logits = Float32Array.from([0, 1, 0, 1, 0, 1]);
    const e = evaluate({ logits, targets: Int32Array.from([0, 0, 0]) }, 2, 2);
    expect(e.mistakes).toHaveLength(2);
    expect(e.perClass[0]).toBe(0);
    expect(e.perClass[1]).toBeNaN();
  });
});
