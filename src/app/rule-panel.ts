import type { RuleTextName } from '../optimizers/index.ts';
import { parseRule, RULE_TEXT_NAMES, RULE_TEXTS } from '../optimizers/index.ts';
import type { AnySheet, Steps, Workbook } from '../sheet/index.ts';
import {
  checkSheetName,
  epochSchedule,
  InputError,
  MAX_USER_SHEETS,
  userSheetDef,
} from '../sheet/index.ts';
import { byId } from './dom.ts';

/** What the rule panel needs from the page. */
export interface RulePanelHost {
  workbook(): Workbook;
  refuseWhileBusy(): boolean;
  isBusy(): boolean;
  say(text: string, kind?: 'info' | 'error'): void;
  /** Runs a job on the workbook with the progress bar, then shows `sheet` and says its note. */
  act(title: string, steps: Steps<string>, sheet: AnySheet): void;
}

/** Quiet time after the last key before an edited rule is parsed and its sheet rebuilt. */
const DEBOUNCE_MS = 400;

/**
 * The user's own rules: the form that adds a sheet from a library rule, and the panel above
 * the grid where the active user sheet's rule is edited. A valid edit rebuilds the sheet; an
 * invalid one lists every error with its line and column and changes nothing. What was typed
 * stays in the box (per sheet) until it parses, even across tab changes.
 */
export const createRulePanel = (
  host: RulePanelHost,
): { show(w: Workbook, sheet: AnySheet): void } => {
  const panel = byId('rule-panel');
  const text = byId('rule-text', HTMLTextAreaElement);
  const errors = byId('rule-errors');
  const start = byId('rule-start', HTMLSelectElement);
  const nameInput = byId('rule-name', HTMLInputElement);
  const schedText = byId('schedule-text', HTMLInputElement);
  const schedEpochs = byId('schedule-epochs', HTMLInputElement);
  /** What was typed per sheet and not yet applied: the rule, the schedule and its epochs. */
  const drafts = new Map<string, [string, string, string]>();
  let shown: string | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  for (const el of document.querySelectorAll('.max-user-sheets'))
    el.textContent = String(MAX_USER_SHEETS);
  start.replaceChildren(
    ...RULE_TEXT_NAMES.map((n) => {
      const o = document.createElement('option');
      o.value = n;
      o.textContent = n;
      return o;
    }),
  );
  start.value = 'lion';

  const listErrors = (lines: readonly string[]): void => {
    errors.replaceChildren(
      ...lines.map((l) => {
        const li = document.createElement('li');
        li.textContent = l;
        return li;
      }),
    );
  };

  byId('rule-add-form').addEventListener('submit', (e) => {
    e.preventDefault();
    if (host.refuseWhileBusy()) return;
    const w = host.workbook();
    try {
      const name = checkSheetName(nameInput.value.trim(), w.sheets());
      if (w.userSheets().length >= MAX_USER_SHEETS)
        throw new InputError(
          `the workbook holds at most ${MAX_USER_SHEETS} sheets of your own rules: remove one first`,
        );
      const from = start.value as RuleTextName;
      const def = userSheetDef(name, RULE_TEXTS[from]);
      host.act(
        'adding a sheet',
        (function* (): Steps<string> {
          yield* w.putSheetSteps(def);
          return `${name}: a sheet of the rule ${from}. Edit its formulas above the grid, its hyperparameters in the yellow cells`;
        })(),
        name,
      );
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      host.say(err.message, 'error');
    }
  });

  const apply = (): void => {
    timer = undefined;
    const name = shown;
    if (name === null) return;
    if (host.isBusy()) {
      timer = setTimeout(apply, DEBOUNCE_MS);
      return;
    }
    const w = host.workbook();
    const typed = text.value;
    const found = parseRule(typed).errors.map((e) => `${name}: ${e.message}`);
    const sched = schedText.value.trim();
    const epochs = Number(schedEpochs.value);
    if (sched !== '') {
      try {
        epochSchedule(name, sched, epochs);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        found.push(err.message);
      }
    }
    if (found.length) {
      listErrors(found);
      host.say(
        `${name}: ${found.length} error${found.length > 1 ? 's' : ''} in the rule or schedule; the sheet keeps the last ones that parsed`,
        'error',
      );
      return;
    }
    listErrors([]);
    const old = w.def(name);
    if (
      typed === old.source &&
      sched === (old.schedule?.text ?? '') &&
      (sched === '' || epochs === old.schedule?.epochs)
    )
      return;
    const def = userSheetDef(name, typed, sched === '' ? undefined : { text: sched, epochs });
    host.act(
      'rebuilding the rule',
      (function* (): Steps<string> {
        yield* w.putSheetSteps(def);
        drafts.delete(name);
        return `${name}: rule rebuilt, every row recomputed and the sheet reset`;
      })(),
      name,
    );
  };

  const edited = (): void => {
    if (shown === null) return;
    drafts.set(shown, [text.value, schedText.value, schedEpochs.value]);
    clearTimeout(timer);
    timer = setTimeout(apply, DEBOUNCE_MS);
  };
  for (const el of [text, schedText, schedEpochs]) el.addEventListener('input', edited);

  byId('rule-remove').addEventListener('click', () => {
    if (host.refuseWhileBusy() || shown === null) return;
    const name = shown;
    host.act(
      'removing a sheet',
      (function* (): Steps<string> {
        yield { what: `removing ${name}`, done: 0, total: 1 };
        host.workbook().removeSheet(name);
        drafts.delete(name);
        return `${name} removed`;
      })(),
      'basic',
    );
  });

  return {
    show(w, sheet) {
      const def = w.isOptimizer(sheet) ? w.def(sheet) : null;
      const source = def?.source;
      panel.hidden = source === undefined;
      if (source === undefined) {
        shown = null;
        return;
      }
      if (shown !== sheet) {
        clearTimeout(timer);
        timer = undefined;
        shown = sheet;
        byId('rule-sheet').textContent = sheet;
        const def = w.def(sheet);
        const [rule, sched, epochs] = drafts.get(sheet) ?? [
          source,
          def.schedule?.text ?? '',
          String(def.schedule?.epochs ?? 11),
        ];
        text.value = rule;
        schedText.value = sched;
        schedEpochs.value = epochs;
        listErrors([]);
      }
    },
  };
};
