import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** What a `gradsheet` run printed, and its exit status. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node bin/gradsheet.js ARGS` as a user would; a failing run is a result, not a throw. */
export const cli = async (...args: string[]): Promise<CliResult> => {
  try {
    const { stdout, stderr } = await exec('node', ['bin/gradsheet.js', ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as CliResult;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};
