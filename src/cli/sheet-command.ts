import { readFileSync } from 'node:fs';
import { RULE_TEXT_NAMES, RULE_TEXTS } from '../optimizers/index.ts';
import type { DataSpec, HyperKey, SheetDef } from '../sheet/index.ts';
import {
  diagnose,
  InputError,
  isSheetName,
  parseHyper,
  parseXY,
  passTable,
  SHEET_NAMES,
  SHEETS,
  toCsv,
  userSheetDef,
  Workbook,
  workbookData,
  workbookModel,
  MAX_ROWS,
} from '../sheet/index.ts';
import { toXlsx } from '../sheet/xlsx.ts';
import type { FlagSpec } from './args.ts';
import { numberFlag, parseFlags, UsageError } from './args.ts';
import { writeOutput } from './files.ts';
import { formatTable } from './table.ts';

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
  { name: 'seed', value: 'N', help: 'generate data from this seed instead of the workbook’s' },
  { name: 'rows', value: 'N', help: 'generated rows (default 29)' },
  { name: 'intercept', value: 'X', help: 'true intercept of generated data (default 30)' },
  { name: 'slope', value: 'X', help: 'true slope of generated data (default 2)' },
  { name: 'noise', value: 'X', help: 'std of Gaussian noise added to y (default 0)' },
  { name: 'data', value: 'FILE', help: 'x,y pairs from a CSV file' },
];

export const sheetFlags = (def: SheetDef): FlagSpec[] => [
  ...def.hypers.map((h) => ({
    name: h.key,
    value: 'X',
    help: `${h.label} (default ${h.default})`,
  })),
  ...commonFlags,
];

export const sheetUsage = (): string =>
  [
    'gradsheet sheet NAME [--epochs N] [--lr X] [--beta1 X] [--beta2 X] [--json | --csv FILE] [--xlsx FILE]',
    'gradsheet sheet --rule RULE|FILE [--lr X] [--HYPER X …] [same flags]',
    `  NAME: ${SHEET_NAMES.join(', ')}`,
    `  RULE: ${RULE_TEXT_NAMES.join(', ')}, or a file with a rule text (docs/rules.md); its hyperparameters are flags`,
    ...SHEET_NAMES.map((s) => `  ${s}: ${SHEETS[s].hypers.map((h) => `--${h.key}`).join(' ')}`),
    ...commonFlags.map((f) => `  --${f.name}${f.value ? ` ${f.value}` : ''}: ${f.help}`),
  ].join('\n');

const dataOf = (values: Map<string, string>): DataSpec => {
  const file = values.get('data');
  const generated = ['seed', 'rows', 'intercept', 'slope', 'noise'].some((k) => values.has(k));
  if (file && generated)
    throw new UsageError(
      '--data cannot be combined with --seed/--rows/--intercept/--slope/--noise',
    );
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`--data: cannot read ${file}: ${(err as Error).message}`);
    }
    try {
      return { kind: 'custom', ...parseXY(text) };
    } catch (err) {
      throw new UsageError(`--data ${file}: ${(err as Error).message}`);
    }
  }
  if (!generated) return workbookData;
  const rows = numberFlag(values, 'rows', (v) =>
    Number.isInteger(v) && v >= 2 && v <= MAX_ROWS ? null : `must be an integer in 2…${MAX_ROWS}`,
  );
  return {
    kind: 'generated',
    seed:
      numberFlag(values, 'seed', (v) => (Number.isInteger(v) ? null : 'must be an integer')) ?? 42,
    rows: rows ?? 29,
    intercept: numberFlag(values, 'intercept') ?? 30,
    slope: numberFlag(values, 'slope') ?? 2,
    noise: numberFlag(values, 'noise', (v) => (v >= 0 ? null : 'must be ≥ 0')) ?? 0,
  };
};

/**
 * `--rule RULE|FILE`: a library rule by name, else a file holding a rule text, as a user sheet
 * named after the rule (`my_…` where a built-in sheet has that name).
 */
const ruleSheet = (spec: string): SheetDef => {
  let text: string;
  if ((RULE_TEXT_NAMES as readonly string[]).includes(spec)) {
    text = RULE_TEXTS[spec as keyof typeof RULE_TEXTS];
  } else {
    try {
      text = readFileSync(spec, 'utf8');
    } catch (err) {
      throw new UsageError(
        `--rule: '${spec}' is neither a library rule (${RULE_TEXT_NAMES.join(', ')}) nor a file that can be read: ${(err as Error).message}`,
      );
    }
  }
  const ruleName = /^\s*name\s+(\S+)\s*$/m.exec(text)?.[1] ?? 'rule';
  let name = ruleName
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .replace(/^[^a-z]/, 'r');
  if (isSheetName(name) || name === 'data') name = `my_${name}`;
  try {
    return userSheetDef(name.slice(0, 24), text);
  } catch (err) {
    if (err instanceof InputError) throw new UsageError(`--rule ${spec}: ${err.message}`);
    throw err;
  }
};

/** `gradsheet sheet NAME …` or `gradsheet sheet --rule RULE|FILE …`: the workbook, headless. */
export const sheetCommand = async (argv: readonly string[]): Promise<string> => {
  const [first, ...others] = argv;
  let def: SheetDef;
  let rest: readonly string[] = others;
  if (first === '--rule') {
    const [spec, ...after] = others;
    if (spec === undefined || spec.startsWith('--'))
      throw new UsageError(
        `sheet --rule: which rule? One of ${RULE_TEXT_NAMES.join(', ')}, or a file with a rule text`,
      );
    def = ruleSheet(spec);
    rest = after;
  } else {
    if (first === undefined || first.startsWith('--'))
      throw new UsageError(
        `sheet: which sheet? One of ${SHEET_NAMES.join(', ')}, or --rule RULE|FILE\n\n${sheetUsage()}`,
      );
    if (!isSheetName(first))
      throw new UsageError(`sheet: no sheet '${first}'; use one of ${SHEET_NAMES.join(', ')}`);
    def = SHEETS[first];
  }
  const name = def.name;
  const { values, positional } = parseFlags(rest, sheetFlags(def), `sheet ${name}`);
  if (positional.length)
    throw new UsageError(`sheet ${name}: unexpected argument '${positional[0] ?? ''}'`);
  if (values.has('json') && values.has('csv'))
    throw new UsageError('--json and --csv cannot be used together');
  const epochs =
    numberFlag(values, 'epochs', (v) =>
      Number.isInteger(v) && v >= 0 && v <= 100_000 ? null : 'must be a whole number ≥ 0',
    ) ?? 5;
  const hypers: Partial<Record<HyperKey, number>> = {};
  for (const h of def.hypers) {
    const raw = values.get(h.key);
    if (raw === undefined) continue;
    try {
      hypers[h.key] = parseHyper(h.key, raw);
    } catch (err) {
      throw new UsageError(`--${h.key}: ${(err as Error).message}`);
    }
  }
  let wb: Workbook;
  try {
    wb = new Workbook({
      data: dataOf(values),
      model: {
        model: values.get('model') ?? workbookModel.model,
        loss: values.get('loss') ?? workbookModel.loss,
      },
      hypers: { [name]: hypers },
      userSheets: def.source === undefined ? [] : [def],
    });
  } catch (err) {
    if (err instanceof InputError) throw new UsageError(err.message);
    throw err;
  }
  wb.run(name, epochs);
  const history = wb.history(name);
  const csv = values.get('csv');
  if (csv) await writeOutput('csv', csv, toCsv(passTable(wb, name)));
  const xlsx = values.get('xlsx');
  if (xlsx) await writeOutput('xlsx', xlsx, new Uint8Array(await toXlsx(wb)));
  if (values.has('json')) {
    const passes = history.map(({ epoch, intercept, slope, rmse, lr }) => ({
      epoch,
      intercept,
      slope,
      rmse,
      lr,
    }));
    return JSON.stringify(passes, null, 2);
  }
  const out = [
    `${def.title} — ${wb.rows} rows, model ${wb.model.model}, loss ${wb.model.loss}`,
    formatTable(
      ['epoch', 'intercept', 'slope', 'rmse', 'lr'],
      history.map((h) => [h.epoch, h.intercept, h.slope, h.rmse, h.lr]),
    ),
  ];
  const problem = diagnose(wb, name);
  if (problem) out.push(`warning: ${problem}`);
  if (csv) out.push(`wrote ${csv} (${wb.rows} rows of the last pass)`);
  if (xlsx) out.push(`wrote ${xlsx}`);
  return out.join('\n');
};
