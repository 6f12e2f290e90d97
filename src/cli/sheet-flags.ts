import { DATA_SETTINGS } from '../sheet/data-settings.ts';
import { RULE_TEXT_NAMES } from '../optimizers/index.ts';
import type { SheetDef } from '../sheet/sheets.ts';
import { SHEET_NAMES, SHEETS } from '../sheet/sheets.ts';
import { workbookModel } from '../sheet/workbook-model.ts';
import { helpText } from '../settings/schema.ts';
import { settingByKey } from '../settings/train.ts';
import type { FlagSpec } from './args.ts';
import { flagHelpLine } from './args.ts';

/** The sheet command's flags and usage; no HyperFormula or mathjs here, so `--help` starts at once. */

const commonFlags: FlagSpec[] = [
  {
    name: 'epochs',
    value: 'N',
    help: 'Run epochs after Reset (default 5); N+1 passes are reported',
  },
  { name: 'json', value: null, help: 'print one JSON object per pass' },
  { name: 'csv', value: 'FILE', help: 'write the rows of the last pass, columns as in the grid' },
  { name: 'xlsx', value: 'FILE', help: 'write the whole workbook with live formulas' },
  {
    name: 'model',
    value: 'EXPR',
    help: `model of x with parameters a, b (default '${workbookModel.model}')`,
  },
  { name: 'loss', value: 'EXPR', help: `loss of pred and y (default '${workbookModel.loss}')` },
  ...DATA_SETTINGS.map((s) => ({
    name: s.flag,
    value: s.arg,
    help: helpText(s, { kind: 'node', cores: 1 }),
  })),
  { name: 'data', value: 'FILE', help: 'x,y pairs from a CSV file' },
];

/** A hyperparameter's flag: the trainer's where it has one (`--wd`), else the rule's own name. */
export const hyperFlag = (key: string): string => settingByKey(key)?.flag ?? key;

/** A sheet's flags: its hyperparameters (a user rule's own too), then the common ones. */
export const sheetFlags = (def: SheetDef): FlagSpec[] => [
  ...def.hypers.map((h) => ({
    name: hyperFlag(h.key),
    value: 'X',
    help: `${h.label} (default ${h.default})`,
  })),
  ...commonFlags,
];

export const sheetUsage = (): string =>
  [
    'gradsheet sheet NAME [--epochs N] [--lr X] [--beta1 X] [--beta2 X] [--json | --csv FILE] [--xlsx FILE]',
    'gradsheet sheet --rule RULE|FILE|TEXT [--lr X] [--HYPER X …] [same flags]',
    `  NAME: ${SHEET_NAMES.join(', ')}`,
    `  RULE: ${RULE_TEXT_NAMES.join(', ')}, a file with a rule text, or the text itself (docs/rules.md); its hyperparameters are flags`,
    ...SHEET_NAMES.map(
      (s) => `  ${s}: ${SHEETS[s].hypers.map((h) => `--${hyperFlag(h.key)}`).join(' ')}`,
    ),
    ...commonFlags.map(flagHelpLine),
  ].join('\n');
