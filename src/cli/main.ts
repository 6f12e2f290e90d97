import { UsageError } from './args.ts';
import { sheetCommand, sheetUsage } from './sheet-command.ts';

const usage = (): string =>
  [
    'gradsheet: fast.ai’s graddesc optimizer workbook, headless',
    '',
    'Commands:',
    sheetUsage(),
    '',
    'gradsheet --help',
  ].join('\n');

/** Runs the CLI; returns the exit status (0 ok, 2 usage error, 1 failure). */
export const main = async (argv: readonly string[]): Promise<number> => {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(usage() + '\n');
      return command === undefined ? 2 : 0;
    }
    if (command === 'sheet') {
      process.stdout.write((await sheetCommand(rest)) + '\n');
      return 0;
    }
    throw new UsageError(`unknown command '${command}'; commands: sheet (see gradsheet --help)`);
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
