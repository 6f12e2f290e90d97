import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's python3-torch lives in the system Python; $PYTHON overrides (as bench/train.ts). */
export const PYTHON =
  process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

/** Null when `PYTHON` imports torch; otherwise why not (a test prints it as its skip reason). */
export const torchUnavailable = ((): string | null => {
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} cannot run (${r.error.message})`;
  return r.status === 0 ? null : `${PYTHON} cannot import torch (apt-get install python3-torch)`;
})();

/** Runs a script under bench/ with PYTHON and parses its last stdout line as JSON. */
export const runTorchScript = (
  script: string,
  args: readonly string[],
  timeout = 120_000,
): unknown => {
  const r = spawnSync(PYTHON, [`bench/${script}`, ...args], { encoding: 'utf8', timeout });
  if (r.status !== 0) throw new Error(`${script} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? 'null') as unknown;
};
