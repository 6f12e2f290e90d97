import type { AugmentName } from '../../training/index.ts';
import { helpText } from '../../settings/schema.ts';
import type { Setting } from '../../settings/schema.ts';
import { ADDITION_SETTINGS, HYPER_KEYS, settingByKey } from '../../settings/train.ts';
import { byId } from '../dom.ts';
import type { AdditionFields, FieldErrors, Settings } from './settings.ts';
import { BROWSER_ENV, OWN } from './settings.ts';

/** The Train tab's form: its menus filled from the settings table, read and written as `Settings`. */

export const input = (id: string): HTMLInputElement => byId(id, HTMLInputElement);
export const select = (id: string): HTMLSelectElement => byId(id, HTMLSelectElement);
export const button = (id: string): HTMLButtonElement => byId(id, HTMLButtonElement);
export const textarea = (id: string): HTMLTextAreaElement => byId(id, HTMLTextAreaElement);

export const option = (value: string, text = value): HTMLOptionElement => {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = text;
  return o;
};

const fillSelect = (el: HTMLSelectElement, values: readonly string[]): void => {
  el.replaceChildren(...values.map((v) => option(v)));
};

/** A setting's accepted names in this browser, from the settings table (src/settings/train.ts). */
const choicesOf = (key: string): readonly string[] =>
  settingByKey(key)?.choices?.(BROWSER_ENV) ?? [];

/** An addition's input: `t-label-smoothing`, `t-ema`, … (named as the CLI's flag). */
const additionInput = (a: Setting): HTMLInputElement => input(`t-${a.flag}`);

/**
 * One field per training addition, from the settings table: its name, and a hint of what it does
 * and that 0 is off (the table's help text, as `--help` gives it).
 */
const fillAdditions = (): void => {
  byId('t-additions').replaceChildren(
    ...ADDITION_SETTINGS.map((a) => {
      const label = document.createElement('label');
      label.className = 'addition';
      const i = document.createElement('input');
      i.id = `t-${a.flag}`;
      i.name = a.key;
      i.inputMode = 'decimal';
      const hint = document.createElement('span');
      hint.className = 'hint';
      hint.textContent = helpText(a, BROWSER_ENV);
      label.append(`${a.label.replace(/^the /, '')} `, i, hint);
      return label;
    }),
  );
};

/** Fills the menus, the augmentation boxes and the additions; once, when the page opens. */
export const fillForm = (): void => {
  fillSelect(select('t-model'), choicesOf('model'));
  fillSelect(select('t-opt'), choicesOf('opt'));
  select('t-opt').append(option(OWN, 'your own rule'));
  fillSelect(select('t-sched'), choicesOf('sched'));
  select('t-sched').append(option(OWN, 'your own schedule'));
  fillSelect(select('t-backend'), choicesOf('backend'));
  fillSelect(select('t-aug-per'), choicesOf('augPer'));
  input('t-workers').placeholder = `${String(BROWSER_ENV.cores)}: every core`;
  const augBox = byId('t-aug');
  for (const a of choicesOf('aug')) {
    const label = document.createElement('label');
    label.innerHTML = `<input type="checkbox" name="aug" value="${a}" /> ${a}`;
    augBox.append(label);
  }
  fillAdditions();
};

/**
 * One yellow input cell per hyperparameter of the optimizer, after lr. A rule's hyperparameter
 * that is not a training setting (NAdam's momentumDecay) is shown, greyed: its value is the
 * rule's own, changed in the rule's text.
 */
export const renderHyperCells = (hyper: Readonly<Record<string, string>>): void => {
  const hyperCells = byId('t-hyper-cells');
  for (const old of hyperCells.querySelectorAll('.own-hyper')) old.remove();
  for (const [k, v] of Object.entries(hyper)) {
    const label = document.createElement('label');
    label.className = 'cell own-hyper';
    label.textContent = `${k} `;
    const i = document.createElement('input');
    i.id = `t-hyper-${k}`;
    i.name = `hyper.${k}`;
    i.dataset.hyper = k;
    i.value = v;
    i.inputMode = 'decimal';
    if (!(HYPER_KEYS as readonly string[]).includes(k)) {
      i.disabled = true;
      i.title = `${k} is set in the rule's text; the settings are ${HYPER_KEYS.join(', ')}`;
    }
    label.append(i);
    hyperCells.append(label);
  }
};

export const readSettings = (): Settings => ({
  model: select('t-model').value,
  opt: select('t-opt').value,
  lr: input('t-lr').value,
  hyper: Object.fromEntries(
    [...byId('t-hyper-cells').querySelectorAll<HTMLInputElement>('input[data-hyper]')].map((i) => [
      i.dataset.hyper ?? '',
      i.value,
    ]),
  ),
  sched: select('t-sched').value,
  rule: textarea('t-rule').value,
  schedFormula: textarea('t-sched-formula').value,
  schedEvery: select('t-sched-every').value,
  epochs: input('t-epochs').value,
  bs: input('t-bs').value,
  aug: [...byId('t-aug').querySelectorAll<HTMLInputElement>('input:checked')].map(
    (i) => i.value as AugmentName,
  ),
  augPer: select('t-aug-per').value,
  tta: input('t-tta').checked,
  ...(Object.fromEntries(
    ADDITION_SETTINGS.map((a) => [a.key, additionInput(a).value]),
  ) as AdditionFields),
  ensemble: input('t-ensemble').value,
  seed: input('t-seed').value,
  subset: input('t-subset').value,
  backend: select('t-backend').value,
  workers: input('t-workers').value,
});

export const writeSettings = (s: Settings): void => {
  select('t-model').value = s.model;
  select('t-opt').value = s.opt;
  input('t-lr').value = s.lr;
  renderHyperCells(s.hyper);
  select('t-sched').value = s.sched;
  textarea('t-rule').value = s.rule;
  textarea('t-sched-formula').value = s.schedFormula;
  select('t-sched-every').value = s.schedEvery;
  showOwnBoxes();
  input('t-epochs').value = s.epochs;
  input('t-bs').value = s.bs;
  for (const i of byId('t-aug').querySelectorAll<HTMLInputElement>('input'))
    i.checked = s.aug.includes(i.value as AugmentName);
  select('t-aug-per').value = s.augPer;
  input('t-tta').checked = s.tta;
  for (const a of ADDITION_SETTINGS) additionInput(a).value = s[a.key as keyof AdditionFields];
  input('t-ensemble').value = s.ensemble;
  input('t-seed').value = s.seed;
  input('t-subset').value = s.subset;
  select('t-backend').value = s.backend;
  input('t-workers').value = s.workers;
};

/** The rule and schedule boxes show while their menu says 'your own'. */
export const showOwnBoxes = (): void => {
  byId('t-own-rule').hidden = select('t-opt').value !== OWN;
  byId('t-own-sched').hidden = select('t-sched').value !== OWN;
};

/** Marks each wrong field where it was typed and lists the messages under the form. */
export const showErrors = (errors: FieldErrors): void => {
  const form = byId('t-form', HTMLFormElement);
  for (const el of form.querySelectorAll<
    HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement
  >('input, select, textarea')) {
    const msg = errors[el.name];
    el.classList.toggle('refused', msg !== undefined);
    el.setAttribute('aria-invalid', String(msg !== undefined));
    el.title = msg ?? '';
  }
  byId('t-errors').replaceChildren(
    ...Object.values(errors).map((m) => {
      const li = document.createElement('li');
      li.textContent = m;
      return li;
    }),
  );
};
