import type { ScheduleSet } from '../../optimizers/index.ts';
import { cosineAnnealing, oneCycle, toSchedule } from '../../optimizers/index.ts';
import { TRAIN_IMAGES } from '../../training/index.ts';

/** One drawn line of the schedule preview: a value per optimizer step. */
export interface Curve {
  readonly label: string;
  /** Which axis: the learning rate, or β₁ (momentum). */
  readonly axis: 'lr' | 'beta1';
  /** The student's own schedule, or PyTorch's for comparison. */
  readonly own: boolean;
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

/** The run the preview is drawn for, from the form's current values. */
export interface PreviewRun {
  readonly lr: number;
  readonly epochs: number;
  readonly bs: number;
  /** Training images; null for all of them. */
  readonly subset: number | null;
  /** The student's parsed schedules; null while the text does not parse. */
  readonly schedules: ScheduleSet | null;
  readonly every: 'batch' | 'epoch';
}

/** The reference curves' names: what each one is, and where that is checked. */
export const COSINE_LABEL = "PyTorch CosineAnnealingLR (gradsheet's cosine)";
export const ONECYCLE_LABEL = "PyTorch OneCycleLR (gradsheet's onecycle)";
export const ONECYCLE_BETA_LABEL = 'PyTorch OneCycleLR momentum (β₁)';

/** Batches per epoch and optimizer steps in the whole run, as the trainer counts them. */
export const runSteps = (
  r: Pick<PreviewRun, 'epochs' | 'bs' | 'subset'>,
): {
  batches: number;
  total: number;
} => {
  const batches = Math.ceil((r.subset ?? TRAIN_IMAGES) / r.bs);
  return { batches, total: r.epochs * batches };
};

/** At most `most` steps spread over the run, the first and the last among them. */
export const drawnSteps = (total: number, most = 400): number[] =>
  total <= most
    ? Array.from({ length: total }, (_, i) => i)
    : Array.from({ length: most }, (_, i) => Math.round((i * (total - 1)) / (most - 1)));

/**
 * The student's schedule (lr, and β₁ when it schedules it) over the run's steps, beside PyTorch's
 * CosineAnnealingLR (T_max = the run's steps) and OneCycleLR (its defaults) for the same run and
 * max lr. A schedule per epoch holds each epoch's value over that epoch's batches.
 */
export const scheduleCurves = (r: PreviewRun): Curve[] => {
  const { batches, total } = runSteps(r);
  const steps = drawnSteps(total);
  const line = (
    label: string,
    axis: Curve['axis'],
    own: boolean,
    f: (step: number) => number,
  ): Curve => ({ label, axis, own, points: steps.map((x) => ({ x, y: f(x) })) });
  const curves: Curve[] = [];
  const set = r.schedules;
  if (set) {
    const perEpoch = r.every === 'epoch';
    const span = { total: perEpoch ? r.epochs : total, lr: r.lr };
    for (const target of ['lr', 'beta1'] as const) {
      if (!set.targets.includes(target)) continue;
      const s = toSchedule(set, target, span);
      const name = target === 'lr' ? 'lr' : 'β₁';
      curves.push(
        line(`your schedule: ${name}`, target, true, (step) =>
          s(perEpoch ? Math.floor(step / batches) : step),
        ),
      );
    }
  }
  const cycle = oneCycle({ maxLr: r.lr, totalSteps: total });
  curves.push(line(COSINE_LABEL, 'lr', false, cosineAnnealing({ baseLr: r.lr, tMax: total })));
  curves.push(line(ONECYCLE_LABEL, 'lr', false, cycle.lr));
  if (set?.targets.includes('beta1'))
    curves.push(line(ONECYCLE_BETA_LABEL, 'beta1', false, cycle.beta1));
  return curves;
};
