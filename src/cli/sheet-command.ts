import { readFileSync } from 'node:fs';
import { RULE_TEXT_NAMES } from '../optimizers/index.ts';
import type { DataSpec, HyperKey, SheetDef } from '../sheet/index.ts';
import { didYouMean, toCsv } from '../core/index.ts';
import {
  diagnose,
  InputError,
  isSheetName,
  parseHyper,
  parseXY,
  passTable,
  SHEET_NAMES,
  SHEETS,
  userSheetDef,
  Workbook,
  workbookData,
  workbookModel,
} from '../sheet/index.ts';
import { numberFlag, parseFlags, UsageError } from './args.ts';
import { hyperFlag, sheetFlags, sheetUsage } from './sheet-flags.ts';
import { resolveText } from './train-flags.ts';
import { DATA_SETTINGS, generatedData } from '../sheet/data-settings.ts';
import { writeOutput } from './files.ts';
import { formatTable } from './table.ts';

const dataOf = (values: Map<string, string>): DataSpec => {
  const file = values.get('data');
  const generated = DATA_SETTINGS.some((s) => values.has(s.flag));
  if (file && generated)
    throw new UsageError(
      `--data cannot be combined with ${DATA_SETTINGS.map((s) => `--${s.flag}`).join('/')}`,
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
  try {
    return generatedData(
      (key) => values.get(key),
      (key) => `--${key}`,
    );
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
};

/**
 * `--rule RULE|FILE`: a library rule by name, else a file holding a rule text, as a user sheet
 * named after the rule (`my_…` where a built-in sheet has that name).
 */
const ruleSheet = (spec: string): SheetDef => {
  const text = resolveText('rule', spec);
  const ruleName = /^\s*name\s+(\S+)\s*$/m.exec(text)?.[1] ?? 'rule';
  let name = ruleName
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .replace(/^[^a-z]/, 'r');
  if (isSheetName(name) || name === 'data') name = `my_${name}`;
  try {
    return userSheetDef(name.slice(0, 24), text);
  } catch (err) {
    // a file or library name says where; a typed text is named by its rule
    const where = spec.includes('\n') || spec.includes('=') ? '' : ` ${spec}`;
    if (err instanceof InputError) throw new UsageError(`--rule${where}: ${err.message}`);
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
      throw new UsageError(
        (RULE_TEXT_NAMES as readonly string[]).includes(first)
          ? `sheet: no sheet '${first}'; '${first}' is a library rule: gradsheet sheet --rule ${first}`
          : `sheet: no sheet '${first}'${didYouMean(first, SHEET_NAMES)}; use one of ${SHEET_NAMES.join(', ')}, or --rule RULE`,
      );
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
    const flag = hyperFlag(h.key);
    const raw = values.get(flag);
    if (raw === undefined) continue;
    try {
      hypers[h.key] = parseHyper(h.key, raw);
    } catch (err) {
      throw new UsageError(`--${flag}: ${(err as Error).message}`);
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
      // the sheet it runs; an XLSX holds the whole workbook
      builtIns: values.has('xlsx') ? SHEET_NAMES : SHEET_NAMES.filter((s) => s === name),
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
  if (xlsx) {
    const { toXlsx } = await import('../sheet/xlsx.ts'); // exceljs loads only when asked for
    await writeOutput('xlsx', xlsx, new Uint8Array(await toXlsx(wb)));
  }
  const problem = diagnose(wb, name);
  if (values.has('json')) {
    // stdout stays one JSON document; the warning goes beside it
    if (problem) process.stderr.write(`gradsheet: warning: ${problem}\n`);
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
  if (problem) out.push(`warning: ${problem}`);
  if (csv) out.push(`wrote ${csv} (${wb.rows} rows of the last pass)`);
  if (xlsx) out.push(`wrote ${xlsx}`);
  return out.join('\n');
};
