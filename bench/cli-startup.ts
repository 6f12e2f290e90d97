/**
 * `npm run bench`: how long the CLI takes to start. Builds dist/cli (`npm run build:cli`), then
 * times `node bin/gradsheet.js --help` and `sheet basic` end to end, the median of a few runs
 * after one untimed. Goal (issue 13): under 1 s each; `--help` loads neither tfjs nor the sheet
 * engine, `sheet basic` no tfjs.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { median, timeCalls } from './rate.ts';

const GOAL_MS = 1000;
const ROUNDS = 5;

execFileSync('npm', ['run', '--silent', 'build:cli'], { stdio: 'inherit' });

const commands: readonly (readonly string[])[] = [['--help'], ['sheet', 'basic']];
const results = [];
for (const args of commands) {
  const ms = await timeCalls(
    () => {
      execFileSync('node', ['bin/gradsheet.js', ...args], { stdio: 'ignore' });
      return Promise.resolve();
    },
    ROUNDS,
    1,
  );
  const medianMs = median(ms);
  results.push({ command: `gradsheet ${args.join(' ')}`, medianMs, runsMs: ms, goalMs: GOAL_MS });
  console.log(
    `${`gradsheet ${args.join(' ')}`.padEnd(22)} ${medianMs.toFixed(0).padStart(6)} ms (median of ${String(ROUNDS)})  goal <${String(GOAL_MS)}  ${medianMs < GOAL_MS ? 'ok' : 'SLOW'}`,
  );
}
writeFileSync(
  'bench/cli-startup.json',
  JSON.stringify({ node: process.version, date: new Date().toISOString(), results }, null, 2) +
    '\n',
);
console.log('wrote bench/cli-startup.json');
if (results.some((r) => r.medianMs >= GOAL_MS)) process.exitCode = 1;
