import * as tf from '@tensorflow/tfjs';
import type { DataLoader } from '../data/data-loader.ts';
import type { Predictions } from './tta.ts';
import { predict } from './tta.ts';

/** A test-time view: the image moved `dx` pixels right and `dy` down, filled with 0 (normalised space). */
export interface Shift {
  readonly dx: number;
  readonly dy: number;
}

/** A shift as a TTA view: with the way it moves the image, as reports name the view. */
export interface NamedShift extends Shift {
  readonly name: string;
}

/** The extra TTA views, in the order `ttaViews` takes them: 1 pixel right, left, down, up. */
export const SHIFTS: readonly NamedShift[] = [
  { dx: 1, dy: 0, name: 'right' },
  { dx: -1, dy: 0, name: 'left' },
  { dx: 0, dy: 1, name: 'down' },
  { dx: 0, dy: -1, name: 'up' },
];

/** NHWC images moved by `s`, the uncovered border 0 (what `randomCrop`'s padding fills). */
export const shiftImages = (x: tf.Tensor4D, s: Shift): tf.Tensor4D =>
  tf.tidy(() => {
    const [, h, w] = x.shape;
    const [px, py] = [Math.abs(s.dx), Math.abs(s.dy)];
    const padded = tf.pad(x, [
      [0, 0],
      [py, py],
      [px, px],
      [0, 0],
    ]);
    return tf.slice(padded, [0, py - s.dy, px - s.dx, 0], [-1, h, w, -1]);
  });

/** The model's logits over a loader with every image shifted by `s`. */
export const predictShifted = (
  model: tf.LayersModel,
  dl: DataLoader,
  s: Shift,
): Promise<Predictions> =>
  predict(model, {
    length: dl.length,
    size: dl.size,
    *batches(epoch) {
      for (const b of dl.batches(epoch)) {
        yield { x: shiftImages(b.x, s), y: b.y };
        b.x.dispose();
      }
    },
  });

/** The logits of the first `views` shifted views (0…4), one prediction set each. */
export const predictViews = async (
  model: tf.LayersModel,
  dl: DataLoader,
  views: number,
): Promise<Predictions[]> => {
  const out: Predictions[] = [];
  for (const s of SHIFTS.slice(0, views)) out.push(await predictShifted(model, dl, s));
  return out;
};
