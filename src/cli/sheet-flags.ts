import { DATA_SETTINGS } from '../sheet/data-settings.ts';
import type { HyperKey, SheetName } from '../sheet/sheets.ts';
import { SHEET_NAMES, SHEETS } from '../sheet/sheets.ts';
import { workbookModel } from '../sheet/workbook-model.ts';
import { helpText } from '../settings/schema.ts';
import type { FlagSpec } from './args.ts';

/** The sheet command's flags and usage; no HyperFormula or mathjs here, so `--help` starts at once. */
export const HYPER_FLAGS: Readonly<Record<HyperKey, string>> = {
  lr: 'lr',
  beta1: 'beta1',
  beta2: 'beta2',
};

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

export const sheetFlags = (sheet: SheetName): FlagSpec[] => [
  ...SHEETS[sheet].hypers.map((h) => ({
    name: HYPER_FLAGS[h.key],
    value: 'X',
    help: `${h.label} (default ${h.default})`,
  })),
  ...commonFlags,
];

export const sheetUsage = (): string =>
  [
    'gradsheet sheet NAME [--epochs N] [--lr X] [--beta1 X] [--beta2 X] [--json | --csv FILE] [--xlsx FILE]',
    `  NAME: ${SHEET_NAMES.join(', ')}`,
    ...SHEET_NAMES.map(
      (s) => `  ${s}: ${SHEETS[s].hypers.map((h) => `--${HYPER_FLAGS[h.key]}`).join(' ')}`,
    ),
    ...commonFlags.map((f) => `  --${f.name}${f.value ? ` ${f.value}` : ''}: ${f.help}`),
  ].join('\n');
