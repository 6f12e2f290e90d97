import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliResult } from './run-cli.ts';
import { cli } from './run-cli.ts';

const tmp = (name: string): string => mkdtempSync(join(tmpdir(), `gs-eval-${name}-`));

/** A short run with a flip and two shifts at test time: 1,024 images, valid 171, one epoch. */
const small = ['--model', 'cnn', '--subset', '1024', '--epochs', '1', '--bs', '256'];

interface RunJson {
  readonly accuracy: number;
  readonly plainAccuracy: number;
  readonly ttaAccuracy: number | null;
  readonly members: readonly { accuracy: number }[];
}

const runJson = (dir: string): RunJson =>
  JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunJson;

/** The `views  accuracy  loss` table's rows: label → accuracy. */
const rows = (r: CliResult): Map<string, number> => {
  const lines = r.stdout.split('\n');
  const start = lines.findIndex((l) => l.startsWith('views'));
  const out = new Map<string, number>();
  for (const l of lines.slice(start + 1)) {
    const m = /^(.*?)\s+(\d\.\d{4})\s+(\d+\.\d{4})$/.exec(l);
    if (!m) break;
    out.set((m[1] ?? '').trim(), Number(m[2]));
  }
  return out;
};

const expectUsageError = (r: CliResult, what: string): void => {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toContain(what);
};

let run = '';
let ensemble = '';

beforeAll(async () => {
  run = join(tmp('run'), 'run');
  ensemble = join(tmp('ens'), 'run');
  const trained = await cli(
    'train',
    ...small,
    ...['--aug', 'flip', '--tta', '--tta-views', '2', '--out', run],
  );
  expect(trained.code, trained.stderr).toBe(0);
  const ens = await cli('train', ...small, '--ensemble', '2', '--out', ensemble);
  expect(ens.code, ens.stderr).toBe(0);
}, 240_000);

describe('gradsheet eval', () => {
  it("gives a run's own end-of-run figures again: plain, and with the flip and shifts it trained with", async () => {
    const r = await cli('eval', run, '--tta', '--tta-views', '2');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('cnn from');
    expect(r.stdout).toContain('171 validation images');
    const got = rows(r);
    expect([...got.keys()]).toEqual(['plain', '+ flip', '+ 2 shifts (1 pixel right, left)']);
    const saved = runJson(run);
    expect(got.get('plain')).toBe(Number(saved.plainAccuracy.toFixed(4)));
    expect(got.get('+ 2 shifts (1 pixel right, left)')).toBe(Number(saved.accuracy.toFixed(4)));
    // without flags, a run is evaluated with the views it trained with
    const own = await cli('eval', run);
    expect(own.code, own.stderr).toBe(0);
    expect([...rows(own).entries()]).toEqual([...got.entries()]);
  }, 120_000);

  it("puts the lesson's figure beside a finished run's only for the views it trained with", async () => {
    // the run's settings as if it were a whole 5-epoch run (the cnn is quick on 10,000 images)
    const copy = join(tmp('budget'), 'run');
    cpSync(run, copy, { recursive: true });
    const path = join(copy, 'config.json');
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { config: Record<string, unknown> };
    writeFileSync(
      path,
      JSON.stringify({ ...saved, config: { ...saved.config, epochs: 5, subset: null } }),
    );
    const own = await cli('eval', copy);
    expect(own.code, own.stderr).toBe(0);
    expect(own.stdout).toContain('10,000 validation images');
    expect(own.stdout).toContain('the lesson at 5 epochs: 93.40%');
    const other = await cli('eval', copy, '--tta');
    expect(other.code, other.stderr).toBe(0);
    expect(other.stdout).not.toContain('the lesson at 5 epochs');
    expect(other.stdout).toContain(
      "the lesson's line is left out: these views are not the run's own (flip, 2 shifts)",
    );
  }, 120_000);

  it('reads a saved model folder by the name in its model.json, on the images --subset picks', async () => {
    const r = await cli('eval', join(run, 'model'), '--subset', '1024');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('the saved model:');
    expect([...rows(r).entries()]).toEqual([
      ['plain', Number(runJson(run).plainAccuracy.toFixed(4))],
    ]);
  }, 120_000);

  it("averages an ensemble's members, as the run did", async () => {
    const r = await cli('eval', ensemble);
    expect(r.code, r.stderr).toBe(0);
    const saved = runJson(ensemble);
    expect(r.stdout).toContain(
      `members, plain: ${saved.members.map((m) => m.accuracy.toFixed(4)).join(', ')}`,
    );
    expect(r.stdout).toContain('member 1: the trained model:');
    expect(rows(r).get('plain')).toBe(Number(saved.plainAccuracy.toFixed(4)));
    // the members trained without flips: a flip view is evaluated, with a warning
    const flipped = await cli('eval', ensemble, '--tta');
    expect(flipped.code, flipped.stderr).toBe(0);
    expect(flipped.stdout).toContain('the run trained without --aug flip');
    expect([...rows(flipped).keys()]).toEqual(['plain', '+ flip']);
  }, 120_000);

  it('evaluates a run that has not finished from its last checkpoint, and says so', async () => {
    const copy = join(tmp('partial'), 'run');
    cpSync(run, copy, { recursive: true });
    rmSync(join(copy, 'model'), { recursive: true });
    const r = await cli('eval', copy);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('the checkpoint after epoch 1 of 1 (the run has not finished)');
    // the checkpoint after the last epoch holds the weights the model was saved with
    expect(rows(r).get('plain')).toBe(Number(runJson(run).plainAccuracy.toFixed(4)));
  }, 120_000);

  it("evaluates an unfinished EMA run with the checkpoint's average, as the run validated", async () => {
    const dir = join(tmp('ema'), 'run');
    const trained = await cli('train', ...small, '--ema', '0.9', '--out', dir);
    expect(trained.code, trained.stderr).toBe(0);
    rmSync(join(dir, 'model'), { recursive: true });
    const r = await cli('eval', dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('its moving average of the weights (--ema 0.9)');
    const saved = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunJson & {
      loss: number;
    };
    expect(r.stdout).toMatch(
      new RegExp(`plain\\s+${saved.plainAccuracy.toFixed(4)}\\s+${saved.loss.toFixed(4)}`),
    );
    // the checkpoint's weights.bin holds the live weights, whose loss differs
    const live = await cli('eval', join(dir, 'checkpoint'), '--subset', '1024');
    expect(live.code, live.stderr).toBe(0);
    expect(live.stdout).toMatch(/plain\s+\d\.\d{4}\s+\d+\.\d{4}/);
    expect(live.stdout).not.toMatch(new RegExp(`plain\\s+\\S+\\s+${saved.loss.toFixed(4)}`));
  }, 120_000);

  it('names what is wrong: no folder, a folder of something else, a damaged file, a bad flag', async () => {
    expectUsageError(await cli('eval'), 'eval: which run?');
    expectUsageError(await cli('eval', '/nonexistent/run'), '/nonexistent/run does not exist');
    const empty = tmp('empty');
    expectUsageError(await cli('eval', empty), `${empty} holds neither a run (config.json)`);
    expectUsageError(await cli('eval', run, '--tta-views', '9'), '--tta-views');
    expectUsageError(await cli('eval', run, '--epochs', '3'), 'eval: unknown flag --epochs');
    const damaged = join(tmp('damaged'), 'model');
    cpSync(join(run, 'model'), damaged, { recursive: true });
    truncateSync(join(damaged, 'weights.bin'), 100);
    expectUsageError(await cli('eval', damaged), join(damaged, 'weights.bin'));
    // a damaged checkpoint is not read when the trained model is there, and named when it is needed
    const state = join(tmp('state'), 'run');
    cpSync(run, state, { recursive: true });
    writeFileSync(join(state, 'checkpoint', 'state.json'), '{"epoch":');
    const fine = await cli('eval', state);
    expect(fine.code, fine.stderr).toBe(0);
    rmSync(join(state, 'model'), { recursive: true });
    const r = await cli('eval', state);
    expectUsageError(r, join(state, 'checkpoint', 'state.json'));
    expect(r.stderr).toContain('it was left as it is');
    const renamed = join(tmp('renamed'), 'model');
    cpSync(join(run, 'model'), renamed, { recursive: true });
    const json = readFileSync(join(renamed, 'model.json'), 'utf8');
    writeFileSync(join(renamed, 'model.json'), json.replace('"name":"cnn"', '"name":"vgg"'));
    expectUsageError(await cli('eval', renamed), 'not a gradsheet model (its name is "vgg")');
  }, 120_000);
});
