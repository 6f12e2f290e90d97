import type { AnySheet, AppState, Steps } from '../sheet/index.ts';
import { userSheetDef, Workbook } from '../sheet/index.ts';

/** Run epochs per optimizer sheet, for the sheets that have any. */
export const runsOf = (w: Workbook): Partial<Record<string, number>> =>
  Object.fromEntries(
    w
      .sheets()
      .map((s): [string, number] => [s, w.runsDone(s)])
      .filter(([, n]) => n !== 0),
  );

/** What a link holds of the page: the sheet shown, data, model, typed values, runs, own rules. */
export const stateOf = (w: Workbook, sheet: AnySheet): AppState => ({
  sheet,
  data: w.dataSpec,
  model: w.model,
  hypers: w.typedHypers(),
  runs: runsOf(w),
  rules: w.userSheets().map((d) => ({
    name: d.name,
    text: d.source ?? '',
    ...(d.schedule ? { schedule: { text: d.schedule.text, epochs: d.schedule.epochs } } : {}),
  })),
});

/** Builds the workbook a link describes (data, model, hypers, then each sheet's runs). */
export function* fromLink(s: AppState): Steps<Workbook> {
  const next = yield* Workbook.build({
    data: s.data,
    model: s.model,
    hypers: s.hypers,
    userSheets: s.rules.map((r) => userSheetDef(r.name, r.text, r.schedule)),
  });
  for (const name of next.sheets()) {
    const n = s.runs[name] ?? 0;
    if (n > 0) yield* next.runSteps(name, n);
  }
  return next;
}
