import type { RuleTextName } from '../../optimizers/index.ts';
import { parseRule, RULE_TEXT_NAMES, RULE_TEXTS } from '../../optimizers/index.ts';
import { byId } from '../dom.ts';
import { option, readSettings, renderHyperCells, select, textarea } from './form.ts';
import { OWN, ownHyperDefaults } from './settings.ts';
import type { SheetRule } from './sheet-rules.ts';
import { showTextErrors } from './text-errors.ts';

const SHEET = 'sheet:';

/**
 * The 'your own rule' box: start from a library rule or one of the student's Sheet-tab rule
 * sheets, edit it, and see each error with its line and column. The rule's hyperparameters
 * become the yellow cells (values typed for those it still has are kept).
 */
export const createOwnRule = (sheets: readonly SheetRule[], changed: () => void) => {
  const start = select('t-rule-start');
  const box = textarea('t-rule');
  start.append(option('', 'pick one…'));
  const library = document.createElement('optgroup');
  library.label = 'library';
  library.append(...RULE_TEXT_NAMES.map((n) => option(n)));
  start.append(library);
  if (sheets.length) {
    const mine = document.createElement('optgroup');
    mine.label = 'your Sheet-tab rules';
    mine.append(...sheets.map((r) => option(`${SHEET}${r.name}`, r.name)));
    start.append(mine);
  }
  start.value = sheets.length ? `${SHEET}${sheets[0]?.name ?? ''}` : 'lion';

  const textOf = (v: string): string => {
    if (v.startsWith(SHEET)) return sheets.find((r) => `${SHEET}${r.name}` === v)?.text ?? '';
    return (RULE_TEXT_NAMES as readonly string[]).includes(v) ? RULE_TEXTS[v as RuleTextName] : '';
  };
  const startText = (): string => textOf(start.value);

  /** The cells follow the rule: its hyperparameters, keeping what was typed for those it has. */
  const syncCells = (): void => {
    const s = readSettings();
    const defaults = ownHyperDefaults(s);
    if (!defaults) return;
    renderHyperCells(
      Object.fromEntries(Object.entries(defaults).map(([k, v]) => [k, s.hyper[k] ?? v])),
    );
  };
  const showErrors = (): void => {
    const own = select('t-opt').value === OWN;
    showTextErrors('t-rule-errors', 'your rule', own ? parseRule(box.value).errors : []);
  };
  const fill = (): void => {
    box.value = startText();
    renderHyperCells(ownHyperDefaults(readSettings()) ?? {});
    changed();
  };

  start.addEventListener('change', () => {
    if (start.value !== '') fill();
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  box.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      syncCells();
      changed();
    }, 300);
  });
  return {
    showErrors,
    /** Names in 'start from' the rule the box holds, if it is one of them unchanged. */
    syncStart(): void {
      const v = [...start.options].find((o) => o.value !== '' && textOf(o.value) === box.value);
      if (v) start.value = v.value;
      else if (box.value.trim() !== '') start.value = '';
    },
    /** The optimizer menu changed: to the own rule, an empty box starts from the picked rule. */
    picked(previous: string): void {
      if (select('t-opt').value === OWN && box.value.trim() === '') {
        if ((RULE_TEXT_NAMES as readonly string[]).includes(previous) && !sheets.length)
          start.value = previous;
        if (start.value === '') start.value = 'lion';
        box.value = startText();
      }
      byId('t-own-rule').hidden = select('t-opt').value !== OWN;
      renderHyperCells(ownHyperDefaults(readSettings()) ?? {});
    },
  };
};
