import { DataFileError, parseIdx } from './idx.ts';

export const CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

export const FILES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  validImages: 't10k-images-idx3-ubyte.gz',
  validLabels: 't10k-labels-idx1-ubyte.gz',
} as const;

/** Training images in Fashion-MNIST's train files (the Train tab's form checks a subset against it). */
export const TRAIN_IMAGES = 60_000;

/** Mean and std of the lesson's normalisation, `(x − 0.28)/0.35` on pixels in [0, 1]. */
export const X_MEAN = 0.28;
export const X_STD = 0.35;
export const SIDE = 28;
export const PIXELS = SIDE * SIDE;

/** Images as raw bytes (n × 784) and their labels. */
export interface Split {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly n: number;
}

export interface FashionMnist {
  readonly train: Split;
  /** The official 10,000 test images, the lesson's validation set. */
  readonly valid: Split;
}

/** Reads a gunzipped file's bytes given its name; Node and browser each supply one. */
export type ReadFile = (name: string) => Promise<Uint8Array>;

const split = (images: Uint8Array, labels: Uint8Array, imgName: string, lblName: string): Split => {
  const img = parseIdx(images, imgName, 3);
  const lbl = parseIdx(labels, lblName, 1);
  const [n = 0, h, w] = img.shape;
  if (h !== SIDE || w !== SIDE)
    throw new DataFileError(`${imgName}: images are ${h ?? '?'}×${w ?? '?'}, expected 28×28`);
  if (lbl.shape[0] !== n)
    throw new DataFileError(
      `${lblName}: ${lbl.shape[0] ?? 0} labels for ${n} images in ${imgName}`,
    );
  const bad = lbl.data.findIndex((v) => v > 9);
  if (bad >= 0)
    throw new DataFileError(
      `${lblName}: label ${lbl.data[bad] ?? '?'} at index ${bad} is not a class 0–9`,
    );
  return { images: img.data, labels: lbl.data, n };
};

/** Loads the four files through `read` (which gunzips), checking each. */
export const loadFashionMnist = async (read: ReadFile): Promise<FashionMnist> => {
  const [ti, tl, vi, vl] = await Promise.all([
    read(FILES.trainImages),
    read(FILES.trainLabels),
    read(FILES.validImages),
    read(FILES.validLabels),
  ]);
  return {
    train: split(ti, tl, FILES.trainImages, FILES.trainLabels),
    valid: split(vi, vl, FILES.validImages, FILES.validLabels),
  };
};

/** The first `n` items of a split (or all of it). */
export const take = (s: Split, n: number): Split =>
  n >= s.n ? s : { images: s.images.subarray(0, n * PIXELS), labels: s.labels.subarray(0, n), n };

/** Normalised float pixels of the given items, NHWC order: `(byte/255 − 0.28)/0.35`. */
export const normalise = (s: Split, indices: ArrayLike<number>): Float32Array => {
  const out = new Float32Array(indices.length * PIXELS);
  const scale = 1 / (255 * X_STD);
  const shift = X_MEAN / X_STD;
  for (let k = 0; k < indices.length; k++) {
    const src = (indices[k] ?? 0) * PIXELS;
    const dst = k * PIXELS;
    for (let p = 0; p < PIXELS; p++) out[dst + p] = (s.images[src + p] ?? 0) * scale - shift;
  }
  return out;
};
