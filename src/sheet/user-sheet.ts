import type { RuleDefinition } from '../optimizers/index.ts';
import { parseRule, parseSchedules } from '../optimizers/index.ts';
import { InputError } from './errors.ts';
import { MAX_RUNS } from './limits.ts';
import type { EpochSchedule, HyperDef, SheetDef } from './sheets.ts';
import { SHEET_NAMES } from './sheets.ts';

/** How many sheets of their own rules a user may add to the workbook. */
export const MAX_USER_SHEETS = 3;

/** A user sheet's name: it is also the tab, the link's key and the HyperFormula sheet name. */
const SHEET_NAME = /^[a-z][a-z0-9_]{0,23}$/;

/** Names a sheet's formulas and macros already use: a hyperparameter cannot take them. */
const TAKEN = new Set([
  'const',
  'slope',
  'lr',
  'lastconst',
  'lastslope',
  'rmse',
  'avg_grad2',
  'prev_grad2',
  'gradrat',
  'true',
  'false',
]);

/**
 * The sheet name of a rule's hyperparameter: a trailing number gets an underscore (`beta1`
 * would read as cell BETA1, so it is `beta_1`, as on the built-in sheets), and a name the sheet
 * already uses gets `h_` in front.
 */
export const cellName = (key: string): string => {
  const name = key.replace(/^(.*[^0-9])([0-9]+)$/, '$1_$2');
  return TAKEN.has(name.toLowerCase()) ? `h_${name}` : name;
};

/** Checks a user sheet's name against the format and the sheets already there. */
export const checkSheetName = (name: string, taken: readonly string[]): string => {
  if (!SHEET_NAME.test(name))
    throw new InputError(
      `'${name}' is not a sheet name: a lower-case letter, then letters, digits or _, up to 24`,
    );
  if (name === 'data' || (SHEET_NAMES as readonly string[]).includes(name) || taken.includes(name))
    throw new InputError(`there is already a sheet named ${name}`);
  return name;
};

/**
 * A rule text as a sheet: lr at D2 as on the built-ins, the rule's other hyperparameters as
 * yellow cells along row 1 from J1 (labels to their left, as `beta1` sits at J1 on `adam`), and
 * one state column per slot and parameter. Refuses a text that does not parse, naming every
 * error's line and column.
 */
export const userSheetDef = (
  name: string,
  text: string,
  schedule?: { readonly text: string; readonly epochs: number },
): SheetDef => {
  checkSheetName(name, []);
  const { rule, errors } = parseRule(text);
  if (!rule) throw new InputError(`${name}: ${errors.map((e) => e.message).join('; ')}`);
  return sheetOfRule(
    name,
    rule,
    text,
    schedule && epochSchedule(name, schedule.text, schedule.epochs),
  );
};

/** The most epochs a schedule may span: every epoch a sheet can hold, Reset's pass included. */
export const MAX_SCHEDULE_EPOCHS = MAX_RUNS + 1;

/** An lr schedule over `epochs` run epochs, checked as a rule text is; refusals name the place. */
export const epochSchedule = (name: string, text: string, epochs: number): EpochSchedule => {
  if (!Number.isInteger(epochs) || epochs < 1 || epochs > MAX_SCHEDULE_EPOCHS)
    throw new InputError(
      `${name} schedule: epochs must be a whole number in 1…${MAX_SCHEDULE_EPOCHS}, got ${epochs}`,
    );
  const { schedules, errors } = parseSchedules(text, ['lr']);
  if (!schedules)
    throw new InputError(`${name} schedule: ${errors.map((e) => e.message).join('; ')}`);
  if (!schedules.targets.includes('lr'))
    throw new InputError(`${name} schedule: it needs an 'lr = …' line`);
  return { text, epochs, set: schedules };
};

export const sheetOfRule = (
  name: string,
  def: RuleDefinition,
  text: string,
  schedule?: EpochSchedule,
): SheetDef => {
  const hypers: HyperDef[] = [
    {
      key: 'lr',
      name: 'lr',
      label: 'lr',
      cell: { row: 1, col: 3 },
      labelCell: { row: 0, col: 3 },
      default: 0.01,
    },
    ...def.hypers.map((h, k) => ({
      key: h.name,
      name: cellName(h.name),
      label: h.name,
      cell: { row: 0, col: 9 + 2 * k },
      labelCell: { row: 0, col: 8 + 2 * k },
      default: h.value,
    })),
  ];
  return {
    name,
    title: `${name} (your rule)`,
    blurb: def.doc.join(' ').replace(/[^.]$/, '$&.') || `Your rule ${def.name}, as formulas.`,
    rule: def.rule,
    hypers,
    finiteDifference: false,
    resetState: {},
    warmups: 0,
    annealing: false,
    source: text,
    ...(schedule ? { schedule } : {}),
  };
};
