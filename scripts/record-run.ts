/**
 * `npx tsx scripts/record-run.ts DIR [--commit SHA] [--note TEXT] [--write]`: one line of
 * docs/results.jsonl for the run in DIR (a `gradsheet train --out DIR`), finished or not: its
 * command, config, commit, per-epoch validation accuracy, TTA accuracy, seconds, and whether it
 * finished. A run still going (or stopped) is read from its last checkpoint and recorded as
 * partial. Prints the line; with --write it is appended to docs/results.jsonl.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { trainCommand } from '../src/settings/command.ts';
import type { TrainConfig } from '../src/training/run/config.ts';

interface EpochLog {
  readonly epoch: number;
  readonly train: string;
  readonly loss: number;
  readonly accuracy: number;
  readonly seconds: number;
}

type Config = Record<string, unknown>;

const args = process.argv.slice(2);
const option = (name: string): string | null => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? null) : null;
};
const dir = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (!dir) {
  process.stderr.write('usage: record-run.ts DIR [--commit SHA] [--note TEXT] [--write]\n');
  process.exit(2);
}

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const config = (readJson(join(dir, 'config.json')) as { config: Config }).config;

const members = typeof config.ensemble === 'number' ? config.ensemble : 1;
const memberDir = (k: number): string => (members > 1 ? join(dir, `member-${k}`) : dir);
/** Each member's epoch logs, from its last checkpoint (written after every epoch). */
const logsOf = (k: number): EpochLog[] => {
  const state = join(memberDir(k), 'checkpoint', 'state.json');
  return existsSync(state) ? (readJson(state) as { logs: EpochLog[] }).logs : [];
};
const first = logsOf(0);
const evals = first.filter((l) => l.train === 'eval');
const trains = first.filter((l) => l.train === 'train');
const runFile = join(dir, 'run.json');
const run = existsSync(runFile)
  ? (readJson(runFile) as {
      accuracy: number;
      ttaAccuracy: number | null;
      seconds: number;
      stopped: boolean;
    })
  : null;
const epochs = Number(config.epochs);
const finished = run !== null && !run.stopped && evals.length === epochs;
const commit =
  option('commit') ??
  execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();

const line = {
  date: new Date().toISOString(),
  command: trainCommand(config as unknown as TrainConfig, ['--out', dir]),
  config,
  commit,
  finished,
  epochsDone: evals.length,
  /** Validation accuracy after each epoch (member 1 of an ensemble). */
  accuracy: evals.map((l) => l.accuracy),
  loss: evals.map((l) => l.loss),
  trainSeconds: trains.map((l) => Math.round(l.seconds)),
  final: finished ? run.accuracy : null,
  tta: finished ? run.ttaAccuracy : null,
  seconds: run ? Math.round(run.seconds) : Math.round(first.reduce((s, l) => s + l.seconds, 0)),
  note: option('note'),
};
const text = JSON.stringify(line);
console.log(text);
if (args.includes('--write')) appendFileSync('docs/results.jsonl', text + '\n');
