import * as tf from '@tensorflow/tfjs';
import type { DataLoader } from '../data/data-loader.ts';

export interface Predictions {
  /** Logits, n × 10, row-major. */
  readonly logits: Float32Array;
  readonly targets: Int32Array;
}

/** The model's logits over a loader, in eval mode; with `flip`, on horizontally flipped images. */
export const predict = async (
  model: tf.LayersModel,
  dl: DataLoader,
  flip = false,
): Promise<Predictions> => {
  const logits: Float32Array[] = [];
  const targets: Int32Array[] = [];
  for (const { x, y } of dl.batches(0)) {
    const p = tf.tidy(
      () => model.apply(flip ? tf.reverse(x, 2) : x, { training: false }) as tf.Tensor,
    );
    logits.push(new Float32Array(await p.data()));
    targets.push(new Int32Array(await y.data()));
    tf.dispose([p, x, y]);
  }
  const cat = <T extends Float32Array | Int32Array>(parts: T[], make: (n: number) => T): T => {
    const out = make(parts.reduce((a, p) => a + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  };
  return {
    logits: cat(logits, (n) => new Float32Array(n)),
    targets: cat(targets, (n) => new Int32Array(n)),
  };
};

/** Element-wise mean of several logit sets: TTA (plain + flipped) and ensembles (several models). */
export const meanLogits = (sets: readonly Predictions[]): Predictions => {
  const first = sets[0];
  if (!first) throw new Error('nothing to average');
  const logits = new Float32Array(first.logits.length);
  for (const s of sets)
    s.logits.forEach((v, i) => (logits[i] = (logits[i] ?? 0) + v / sets.length));
  return { logits, targets: first.targets };
};

/** Predicted classes (argmax of each row). */
export const argmaxRows = (logits: Float32Array, classes = 10): Int32Array =>
  Int32Array.from({ length: logits.length / classes }, (_, r) => {
    let best = 0;
    for (let c = 1; c < classes; c++)
      if ((logits[r * classes + c] ?? -Infinity) > (logits[r * classes + best] ?? -Infinity))
        best = c;
    return best;
  });

export const accuracy = (p: Predictions): number => {
  const pred = argmaxRows(p.logits);
  let hit = 0;
  pred.forEach((c, i) => (hit += c === p.targets[i] ? 1 : 0));
  return pred.length ? hit / pred.length : NaN;
};

/** Mean cross-entropy of logits against targets, on the host. */
export const meanCrossEntropy = (p: Predictions, classes = 10): number => {
  let sum = 0;
  const n = p.targets.length;
  for (let r = 0; r < n; r++) {
    const row = p.logits.subarray(r * classes, (r + 1) * classes);
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
    sum += lse - (row[p.targets[r] ?? 0] ?? 0);
  }
  return n ? sum / n : NaN;
};
