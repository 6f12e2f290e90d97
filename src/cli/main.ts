import { didYouMean } from '../core/index.ts';
import { UsageError } from './args.ts';
import { sheetUsage } from './sheet-flags.ts';
import { trainUsage } from './train-flags.ts';
import { evalUsage } from './eval-usage.ts';
import { lrFindUsage, summaryUsage } from './small-usage.ts';

/** Each command's usage, as `gradsheet COMMAND --help` prints it. */
const USAGES: Readonly<Record<string, () => string>> = {
  sheet: sheetUsage,
  train: trainUsage,
  'lr-find': lrFindUsage,
  summary: summaryUsage,
  eval: evalUsage,
};

const usage = (): string =>
  [
    'gradsheet: fast.ai’s graddesc optimizer workbook and lesson 18’s trainer, headless',
    '',
    'Commands:',
    ...Object.values(USAGES).flatMap((u) => [u(), '']),
    'gradsheet COMMAND --help   that command’s flags only',
    'gradsheet --help',
  ].join('\n');

type Command = (argv: readonly string[]) => Promise<string>;

/**
 * Each command's code is loaded when it runs: tfjs only for the training commands, HyperFormula
 * and mathjs only for `sheet`, so `--help` starts at once.
 */
const COMMANDS: Readonly<Record<string, Command>> = {
  sheet: async (argv) => (await import('./sheet-command.ts')).sheetCommand(argv),
  train: async (argv) => (await import('./train-command.ts')).trainCommand(argv),
  'lr-find': async (argv) => (await import('./train-command.ts')).lrFindCommand(argv),
  summary: async (argv) => (await import('./train-command.ts')).summaryCommand(argv),
  eval: async (argv) => (await import('./eval-command.ts')).evalCommand(argv),
};

/** Runs the CLI; returns the exit status (0 ok, 2 usage error, 1 failure). */
export const main = async (argv: readonly string[]): Promise<number> => {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(usage() + '\n');
      return command === undefined ? 2 : 0;
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      // `gradsheet train --help`: that command's usage (an unknown command: all of them)
      process.stdout.write((USAGES[command]?.() ?? usage()) + '\n');
      return 0;
    }
    const run = COMMANDS[command];
    if (!run)
      throw new UsageError(
        `unknown command '${command}'${didYouMean(command, Object.keys(COMMANDS))}; commands: ${Object.keys(COMMANDS).join(', ')} (see gradsheet --help)`,
      );
    process.stdout.write((await run(rest)) + '\n');
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`gradsheet: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`gradsheet: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
};

// A closed pipe (`gradsheet … | head`) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

if (process.argv[1]?.endsWith('main.ts')) process.exitCode = await main(process.argv.slice(2));
