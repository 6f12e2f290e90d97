import { didYouMean } from '../core/index.ts';

/** A command-line mistake: printed with what is accepted, exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface FlagSpec {
  readonly name: string;
  readonly value: string | null;
  readonly help: string;
}

/** A flag as usage lines write it: `--lr X`, `--tta`. */
export const flagText = (f: FlagSpec): string => `--${f.name}${f.value ? ` ${f.value}` : ''}`;

/** A flag's line in a command's `--help`. */
export const flagHelpLine = (f: FlagSpec): string => `  ${flagText(f)}: ${f.help}`;

/**
 * Parses `--flag value` / `--flag=value` / `--switch` against a list of accepted flags;
 * an unknown flag or a missing value is a `UsageError` that lists the accepted ones. For an
 * unknown flag, `hint(name, argv)` may say instead what the command does with it.
 */
export const parseFlags = (
  argv: readonly string[],
  flags: readonly FlagSpec[],
  context: string,
  hint?: (name: string, argv: readonly string[]) => string | null,
): { values: Map<string, string>; positional: string[] } => {
  const values = new Map<string, string>();
  const positional: string[] = [];
  const accepted = (): string => flags.map(flagText).join(' ');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name = '', inline] = arg.slice(2).split(/=(.*)/s);
    const spec = flags.find((f) => f.name === name);
    if (!spec) {
      const unknown = `${context}: unknown flag --${name}${didYouMean(
        name,
        flags.map((f) => f.name),
        '--',
      )}`;
      const said = hint?.(name, argv) ?? null;
      throw new UsageError(
        said === null ? `${unknown}. Accepted: ${accepted()}` : `${unknown}; ${said}`,
      );
    }
    if (spec.value === null) {
      values.set(name, 'true');
      continue;
    }
    const v = inline ?? argv[++i];
    if (v === undefined || v === '' || (inline === undefined && v.startsWith('--'))) {
      throw new UsageError(`${context}: --${name} needs a value (${spec.value})`);
    }
    values.set(name, v);
  }
  return { values, positional };
};

export const numberFlag = (
  values: Map<string, string>,
  name: string,
  check?: (v: number) => string | null,
): number | undefined => {
  const raw = values.get(name);
  if (raw === undefined) return undefined;
  const v = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(v)) throw new UsageError(`--${name} must be a number, got '${raw}'`);
  const problem = check?.(v);
  if (problem) throw new UsageError(`--${name} ${problem}, got ${v}`);
  return v;
};
