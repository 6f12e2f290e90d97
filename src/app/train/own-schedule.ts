import type { ScheduleTextName } from '../../optimizers/index.ts';
import { parseSchedules, SCHEDULE_TEXTS } from '../../optimizers/index.ts';
import { byId } from '../dom.ts';
import { option, readSettings, select, textarea } from './form.ts';
import type { PreviewChart } from './preview-chart.ts';
import { scheduleCurves } from './schedule-curves.ts';
import type { Settings } from './settings.ts';
import { OWN, ownHyperDefaults } from './settings.ts';
import { showTextErrors } from './text-errors.ts';

const NAMES = Object.keys(SCHEDULE_TEXTS) as ScheduleTextName[];

/** What a schedule may schedule: lr and the hyperparameters of the form's rule. */
const targetsOf = (s: Settings): string[] => ['lr', ...Object.keys(ownHyperDefaults(s) ?? {})];

const positive = (text: string, whole: boolean): number | null => {
  const v = Number(text);
  return text.trim() !== '' && v > 0 && Number.isFinite(v) && (!whole || Number.isInteger(v))
    ? v
    : null;
};

/**
 * The 'your own schedule' box: start from a library schedule, edit the formulas, see each error
 * with its line and column, and the preview of the run's lr (and β₁) beside PyTorch's curves,
 * redrawn 0.25 s after the last change.
 */
export const createOwnSchedule = (chart: PreviewChart, changed: () => void) => {
  const start = select('t-sched-start');
  const box = textarea('t-sched-formula');
  start.append(option('', 'pick one…'), ...NAMES.map((n) => option(n)));
  const caption = byId('t-preview-caption');

  const draw = (): void => {
    const s = readSettings();
    if (s.sched !== OWN) return;
    const lr = positive(s.lr, false);
    const epochs = positive(s.epochs, true);
    const bs = positive(s.bs, true);
    const subset = s.subset.trim() === '' ? null : positive(s.subset, true);
    if (lr === null || epochs === null || bs === null || (s.subset.trim() !== '' && !subset)) {
      caption.textContent = 'the preview needs a valid lr, epochs, batch size and training images';
      chart.show([]);
      return;
    }
    const { schedules } = parseSchedules(s.schedFormula, targetsOf(s));
    const every = s.schedEvery === 'epoch' ? 'epoch' : 'batch';
    const curves = scheduleCurves({ lr, epochs, bs, subset, schedules: schedules ?? null, every });
    const steps = (curves[0]?.points.at(-1)?.x ?? 0) + 1;
    caption.textContent = `${schedules ? 'your schedule' : 'your schedule (once it parses)'} over this run’s ${steps.toLocaleString('en')} steps, beside PyTorch’s curves for the same run and max lr: gradsheet’s cosine and onecycle, which equal CosineAnnealingLR and OneCycleLR at every step (checked against PyTorch in tests/optimizers/torch-schedules.test.ts)`;
    chart.show(curves);
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const redraw = (): void => {
    clearTimeout(timer);
    timer = setTimeout(draw, 250);
  };
  start.addEventListener('change', () => {
    if (start.value === '') return;
    box.value = SCHEDULE_TEXTS[start.value as ScheduleTextName];
    changed();
  });
  return {
    redraw,
    drawNow: draw,
    /** Names in 'start from' the schedule the box holds, if it is one of them unchanged. */
    syncStart(): void {
      start.value = NAMES.find((n) => SCHEDULE_TEXTS[n] === box.value) ?? '';
    },
    showErrors(): void {
      const s = readSettings();
      const errors = s.sched === OWN ? parseSchedules(s.schedFormula, targetsOf(s)).errors : [];
      showTextErrors('t-sched-errors', 'your schedule', errors);
    },
    /** The schedule menu changed: to the own schedule, an empty box starts from the closest. */
    picked(previous: string): void {
      const own = select('t-sched').value === OWN;
      if (own && box.value.trim() === '') {
        start.value = previous === 'cosine' ? 'cosine' : 'one-cycle';
        box.value = SCHEDULE_TEXTS[start.value as ScheduleTextName];
      }
      byId('t-own-sched').hidden = !own;
    },
  };
};
