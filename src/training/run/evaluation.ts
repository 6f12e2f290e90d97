import type { Predictions } from '../additions/tta.ts';

export interface Mistake {
  /** Index of the image in the validation set. */
  readonly index: number;
  readonly label: number;
  readonly pred: number;
  /** Softmax probability of the wrong class. */
  readonly confidence: number;
}

export interface Evaluation {
  readonly accuracy: number;
  /** confusion[true][predicted] counts. */
  readonly confusion: readonly (readonly number[])[];
  /** Per true class: the fraction predicted right (NaN for a class with no images). */
  readonly perClass: readonly number[];
  /** The most confidently misclassified images, most confident first. */
  readonly mistakes: readonly Mistake[];
}

/** Confusion matrix, per-class accuracy and the `worst` most confident mistakes of a set of predictions. */
export const evaluate = (p: Predictions, worst = 16, classes = 10): Evaluation => {
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  const mistakes: Mistake[] = [];
  const n = p.targets.length;
  let right = 0;
  for (let r = 0; r < n; r++) {
    const row = p.logits.subarray(r * classes, (r + 1) * classes);
    let pred = 0;
    for (let c = 1; c < classes; c++)
      if ((row[c] ?? -Infinity) > (row[pred] ?? -Infinity)) pred = c;
    const max = row[pred] ?? 0;
    let z = 0;
    for (const v of row) z += Math.exp(v - max);
    const label = p.targets[r] ?? 0;
    const counts = confusion[label];
    if (counts) counts[pred] = (counts[pred] ?? 0) + 1;
    if (pred === label) right++;
    else mistakes.push({ index: r, label, pred, confidence: 1 / z });
  }
  mistakes.sort((a, b) => b.confidence - a.confidence);
  return {
    accuracy: n ? right / n : NaN,
    confusion,
    perClass: confusion.map((counts, c) => {
      const total = counts.reduce((a, v) => a + v, 0);
      return total ? (counts[c] ?? 0) / total : NaN;
    }),
    mistakes: mistakes.slice(0, worst),
  };
};
