import type { Setting } from '../settings/schema.ts';
import { notNegative, parseValue, whole } from '../settings/schema.ts';
import type { DataSpec } from './data.ts';
import { MAX_ROWS } from './limits.ts';

const number = (
  key: string,
  arg: string,
  dflt: number,
  help: string,
  check?: (v: number) => string | null,
): Setting => ({
  key,
  flag: key,
  arg,
  label: key,
  type: 'number',
  ...(check ? { check } : {}),
  default: () => dflt,
  help,
  where: 'both',
});

/**
 * The sheet's generated data, each setting once: the CLI's `--seed --rows --intercept --slope
 * --noise` and the link's `data=gen:seed,rows,intercept,slope,noise`, in that order.
 */
export const DATA_SETTINGS: readonly Setting[] = [
  number('seed', 'N', 42, 'generate data from this seed instead of the workbook’s', whole),
  number('rows', 'N', 29, 'generated rows', (v) =>
    Number.isInteger(v) && v >= 2 && v <= MAX_ROWS
      ? null
      : `must be a whole number in 2…${String(MAX_ROWS)}`,
  ),
  number('intercept', 'X', 30, 'true intercept of generated data'),
  number('slope', 'X', 2, 'true slope of generated data'),
  number('noise', 'X', 0, 'std of Gaussian noise added to y', notNegative),
];

/**
 * Generated data from raw values (`raw(key)` undefined: the default), each checked by the table;
 * the first problem is thrown as an Error whose message starts with `subject(key)`.
 */
export const generatedData = (
  raw: (key: string) => string | undefined,
  subject: (key: string) => string,
): DataSpec => {
  const v: Record<string, number> = {};
  for (const s of DATA_SETTINGS) {
    const given = raw(s.key);
    const parsed =
      given === undefined
        ? { value: s.default({ env: { kind: 'node', cores: 1 }, values: {} }) }
        : parseValue(s, given, { kind: 'node', cores: 1 }, subject(s.key));
    if ('error' in parsed) throw new Error(parsed.error);
    v[s.key] = parsed.value as number;
  }
  const n = (key: string): number => v[key] ?? NaN;
  return {
    kind: 'generated',
    seed: n('seed'),
    rows: n('rows'),
    intercept: n('intercept'),
    slope: n('slope'),
    noise: n('noise'),
  };
};
