import type { RuleTextName } from '../optimizers/index.ts';
import { parseRule, RULE_TEXT_NAMES, RULE_TEXTS } from '../optimizers/index.ts';
import type { AnySheet, Steps, Workbook } from '../sheet/index.ts';
import { checkSheetName, InputError, MAX_USER_SHEETS, userSheetDef } from '../sheet/index.ts';
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
  const drafts = new Map<string, string>();
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
    const { errors: found } = parseRule(typed);
    if (found.length) {
      listErrors(found.map((e) => `${name}: ${e.message}`));
      host.say(
        `${name}: the rule has ${found.length} error${found.length > 1 ? 's' : ''}; the sheet keeps the last rule that parsed`,
        'error',
      );
      return;
    }
    listErrors([]);
    if (typed === w.def(name).source) return;
    const def = userSheetDef(name, typed);
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

  text.addEventListener('input', () => {
    if (shown === null) return;
    drafts.set(shown, text.value);
    clearTimeout(timer);
    timer = setTimeout(apply, DEBOUNCE_MS);
  });

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
        text.value = drafts.get(sheet) ?? source;
        listErrors([]);
      }
    },
  };
};
