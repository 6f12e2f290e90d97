import { mulberry32 } from '../core/index.ts';

/** The 29 x values the workbook pasted onto every optimizer sheet (docs/lesson.md §1.2). */
export const workbookX: readonly number[] = [
  14, 86, 28, 51, 28, 29, 72, 62, 84, 15, 42, 62, 47, 35, 9, 38, 44, 99, 13, 21, 28, 20, 8, 64, 99,
  70, 27, 17, 8,
];

/**
 * Where the data comes from. `generated` draws x like `RANDBETWEEN(1,100)` from a seed, and
 * y = intercept + slope·x (+ Gaussian noise). `workbook` is the workbook's own draw;
 * `custom` is pasted or edited x,y pairs.
 */
export type DataSpec =
  | { readonly kind: 'workbook'; readonly intercept: number; readonly slope: number }
  | {
      readonly kind: 'generated';
      readonly seed: number;
      readonly rows: number;
      readonly intercept: number;
      readonly slope: number;
      readonly noise: number;
    }
  | { readonly kind: 'custom'; readonly x: readonly number[]; readonly y: readonly number[] };

export const workbookData: DataSpec = { kind: 'workbook', intercept: 30, slope: 2 };

/** How many rows a spec describes, without drawing them. */
export const rowCount = (spec: DataSpec): number =>
  spec.kind === 'workbook'
    ? workbookX.length
    : spec.kind === 'generated'
      ? spec.rows
      : spec.x.length;

/** The dataset a spec describes: x, the noise added to each y (zeros if none), and y's rule. */
export interface Dataset {
  readonly x: readonly number[];
  /** Present when y is `intercept + slope·x + noise`, so the data sheet can show it as formulas. */
  readonly line?: {
    readonly intercept: number;
    readonly slope: number;
    readonly noise: readonly number[] | null;
  };
  /** Present for custom data. */
  readonly y?: readonly number[];
}

export const datasetOf = (spec: DataSpec): Dataset => {
  switch (spec.kind) {
    case 'workbook':
      return { x: workbookX, line: { intercept: spec.intercept, slope: spec.slope, noise: null } };
    case 'generated': {
      const rng = mulberry32(spec.seed);
      const x = Array.from({ length: spec.rows }, () => rng.int(1, 100));
      const noise = spec.noise > 0 ? x.map(() => spec.noise * rng.normal()) : null;
      return { x, line: { intercept: spec.intercept, slope: spec.slope, noise } };
    }
    case 'custom':
      return { x: spec.x, y: spec.y };
  }
};

/** y values as the data sheet computes them: `intercept + x·slope (+ noise)`, in that order. */
export const yValues = (d: Dataset): number[] => {
  if (d.y) return [...d.y];
  const line = d.line;
  if (!line) return [];
  return d.x.map((x, i) => {
    const y = line.intercept + x * line.slope;
    return line.noise ? y + (line.noise[i] ?? 0) : y;
  });
};
