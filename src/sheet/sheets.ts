import type { ScheduleSet, UpdateRule } from '../optimizers/index.ts';
import { adam, momentum, rmsprop, sgd } from '../optimizers/index.ts';
import type { Cell } from './address.ts';
import { cell } from './address.ts';

export const SHEET_NAMES = ['basic', 'momentum', 'rmsprop', 'adam', 'adam_ann'] as const;
export type SheetName = (typeof SHEET_NAMES)[number];

export const isSheetName = (s: string): s is SheetName =>
  (SHEET_NAMES as readonly string[]).includes(s);

/** A hyperparameter: `lr`, the built-ins' `beta1`/`beta2`, or any a user's rule declares. */
export type HyperKey = string;

export interface HyperDef {
  readonly key: HyperKey;
  /** Named-expression name in the sheet (`beta1` would read as a cell address). */
  readonly name: string;
  readonly label: string;
  readonly cell: Cell;
  readonly labelCell: Cell;
  readonly default: number;
}

export interface SheetDef {
  /** A built-in's `SheetName`, or the name a user gave their own rule's sheet. */
  readonly name: string;
  readonly title: string;
  readonly blurb: string;
  readonly rule: UpdateRule;
  readonly hypers: readonly HyperDef[];
  /** `basic` shows finite-difference gradient estimates beside the analytic ones. */
  readonly finiteDifference: boolean;
  /** Initial optimizer state written by Reset, per slot, before the warm-up passes. */
  readonly resetState: Readonly<Record<string, number>>;
  /** Passes Reset runs to warm the state up (the macros copy the last row's state this often). */
  readonly warmups: number;
  /** `adam_ann`: divide lr by 4 when the gradient ratio passes 2. */
  readonly annealing: boolean;
  /**
   * A user's sheet: Reset starts the state from the rule's own `state` lines (evaluated at the
   * start guesses and the first row's gradient) instead of `resetState`, and the rule's text.
   */
  readonly source?: string;
  /** A user sheet's lr per epoch: epoch k of `epochs` gets the schedule's lr at step k − 1. */
  readonly schedule?: EpochSchedule;
}

/** An lr schedule over run epochs (see docs/rules.md, Schedules), as typed and parsed. */
export interface EpochSchedule {
  readonly text: string;
  readonly epochs: number;
  readonly set: ScheduleSet;
}

const hyper = (
  key: 'lr' | 'beta1' | 'beta2',
  label: string,
  at: string,
  labelAt: string,
  value: number,
): HyperDef => ({
  key,
  name: key === 'lr' ? 'lr' : key === 'beta1' ? 'beta_1' : 'beta_2',
  label,
  cell: cell(at),
  labelCell: cell(labelAt),
  default: value,
});

const adamHypers = (lr: number, beta2: number): HyperDef[] => [
  hyper('lr', 'lr', 'D2', 'D1', lr),
  hyper('beta1', 'beta1', 'J1', 'I1', 0.9),
  hyper('beta2', 'beta2', 'L1', 'K1', beta2),
];

/** The workbook's five optimizer tabs, at the workbook's cells and defaults (docs/lesson.md §1.4–1.9). */
export const SHEETS: Readonly<Record<SheetName, SheetDef>> = {
  basic: {
    name: 'basic',
    title: 'basic SGD',
    blurb:
      'Plain SGD, one row per step, with finite-difference estimates beside the analytic gradients.',
    rule: sgd(),
    hypers: [hyper('lr', 'learn', 'F1', 'E1', 1e-4)],
    finiteDifference: true,
    resetState: {},
    warmups: 0,
    annealing: false,
  },
  momentum: {
    name: 'momentum',
    title: 'momentum',
    blurb: 'Step along an exponential moving average of the gradient.',
    rule: momentum(),
    hypers: [hyper('lr', 'lr', 'D2', 'D1', 1e-4), hyper('beta1', 'beta', 'J1', 'I1', 0.9)],
    finiteDifference: false,
    resetState: { avg: 0 },
    warmups: 1,
    annealing: false,
  },
  rmsprop: {
    name: 'rmsprop',
    title: 'RMSProp',
    blurb:
      'Divide each step by the root of a moving average of squared gradients (the previous row’s).',
    rule: rmsprop({ denominator: 'previous' }),
    hypers: [hyper('lr', 'lr', 'D2', 'D1', 0.02), hyper('beta2', 'beta', 'J1', 'I1', 0.9)],
    finiteDifference: false,
    resetState: { sqr: 10000 },
    warmups: 2,
    annealing: false,
  },
  adam: {
    name: 'adam',
    title: 'Adam',
    blurb: 'Momentum divided by the RMS gradient; no bias correction, no ε, as in the workbook.',
    rule: adam(),
    hypers: adamHypers(1, 0.9),
    finiteDifference: false,
    resetState: { avg: 0, sqr: 10000 },
    warmups: 2,
    annealing: false,
  },
  adam_ann: {
    name: 'adam_ann',
    title: 'Adam, auto-annealed',
    blurb:
      'Adam whose lr is divided by 4 whenever the RMS gradient grows past 2× its lowest value.',
    rule: adam(),
    hypers: adamHypers(1, 0.95),
    finiteDifference: false,
    resetState: { avg: 0, sqr: 10000 },
    warmups: 2,
    annealing: true,
  },
};

export const defaultHypers = (def: SheetDef): Record<HyperKey, number> =>
  Object.fromEntries(def.hypers.map((h) => [h.key, h.default]));
