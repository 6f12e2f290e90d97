import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossEntropy } from '../../../src/training/learner/learner.ts';
import { initNodeBackend } from '../../../src/training/node/node-backend.ts';
import { labelSmoothingLoss } from '../../../src/training/additions/soft-loss.ts';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

interface Fixture {
  readonly logits: number[][];
  readonly targets: number[];
  readonly cases: readonly { eps: number; loss: number; grad: number[] }[];
}
/** Written by scripts/label-smoothing-fixture.py with PyTorch's F.cross_entropy(label_smoothing=ε). */
const fixture = JSON.parse(
  readFileSync(new URL('./label-smoothing.json', import.meta.url), 'utf8'),
) as Fixture;

/** (1 − ε)·(−log p_y) + ε·mean_c(−log p_c), averaged over rows, in float64. */
const byHand = (logits: number[][], targets: number[], eps: number): number => {
  let sum = 0;
  logits.forEach((row, r) => {
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
    const logp = row.map((v) => v - lse);
    const nll = -(logp[targets[r] ?? 0] ?? 0);
    const uniform = -logp.reduce((a, v) => a + v, 0) / row.length;
    sum += (1 - eps) * nll + eps * uniform;
  });
  return sum / logits.length;
};

const lossAndGrad = (eps: number, logits: number[][], targets: number[]) =>
  tf.tidy(() => {
    const z = tf.tensor2d(logits);
    const y = tf.tensor1d(targets, 'int32');
    const f = (t: tf.Tensor): tf.Scalar => labelSmoothingLoss(eps)(t, y);
    return { loss: f(z).dataSync()[0] ?? NaN, grad: Array.from(tf.grad(f)(z).dataSync()) };
  });

describe('label smoothing', () => {
  it('on two rows of three classes, equals the hand computation', () => {
    // row 0: logits (0, 1, 2), target 2; row 1: logits (1, 1, 1), target 0; ε = 0.3
    const lse0 = Math.log(1 + Math.E + Math.E ** 2);
    const row0 = 0.7 * (lse0 - 2) + (0.3 / 3) * (3 * lse0 - 3);
    const row1 = Math.log(3); // every class equally likely: −log(1/3) whatever the targets
    const want = (row0 + row1) / 2;
    // lse0 = ln(1 + e + e²) = 2.4076: row0 = 0.7·0.4076 + 0.1·4.2228 = 0.7076, row1 = ln 3 = 1.0986
    expect(want).toBeCloseTo(0.9031, 4);
    const { loss } = lossAndGrad(
      0.3,
      [
        [0, 1, 2],
        [1, 1, 1],
      ],
      [2, 0],
    );
    expect(loss).toBeCloseTo(want, 6);
  });

  it.each(fixture.cases.map((c) => [c.eps, c] as const))(
    'at ε = %s, the loss and its gradient equal PyTorch’s',
    (eps, c) => {
      const { loss, grad } = lossAndGrad(eps, fixture.logits, fixture.targets);
      expect(loss).toBeCloseTo(c.loss, 5);
      expect(loss).toBeCloseTo(byHand(fixture.logits, fixture.targets, eps), 5);
      grad.forEach((g, i) => {
        expect(g).toBeCloseTo(c.grad[i] ?? NaN, 6);
      });
      // the gradient is (softmax − smoothed target)/n: check one entry by hand too
      const row = fixture.logits[0] ?? [];
      const z = row.reduce((a, v) => a + Math.exp(v), 0);
      const t = (1 - eps) * (fixture.targets[0] === 0 ? 1 : 0) + eps / 10;
      expect(grad[0]).toBeCloseTo((Math.exp(row[0] ?? 0) / z - t) / fixture.logits.length, 6);
    },
  );

  it('at ε = 0, is the learner’s plain cross-entropy', () => {
    const [a, b] = tf.tidy(() => {
      const z = tf.tensor2d(fixture.logits);
      const y = tf.tensor1d(fixture.targets, 'int32');
      return [labelSmoothingLoss(0)(z, y).dataSync()[0], crossEntropy(z, y).dataSync()[0]];
    });
    expect(a).toBeCloseTo(b ?? NaN, 6);
    expect(tf.memory().numTensors).toBe(0);
  });
});
