import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { FILES, PIXELS } from '../../src/training/data/fashion-mnist.ts';
import { buildModel } from '../../src/training/models/zoo.ts';
import { initNodeBackend } from '../../src/training/node/node-backend.ts';
import { DEFAULT_DATA_DIR } from '../../src/training/node/node-data.ts';
import { nativeConvsOff } from '../../src/training/node/native-convs.ts';
import { loadWeightsInto } from '../../src/training/node/save.ts';
import type { CliResult } from './run-cli.ts';
import { cli } from './run-cli.ts';

/** A user mistake: exit 2, one line on stderr naming `what`, no stack trace. */
const expectUsageError = (r: CliResult, what: string | RegExp): void => {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(typeof what === 'string' ? what : what);
  if (typeof what === 'string') expect(lines[0]).toContain(what);
  expect(r.stderr).not.toMatch(/\n\s+at /);
};

const tmp = (name: string): string => mkdtempSync(join(tmpdir(), `gs-${name}-`));

/** A one-step run: 1,024 images at the default batch of 1,024, one epoch. */
const oneStep = ['--model', 'cnn', '--subset', '1024', '--epochs', '1'];

/** The real Fashion-MNIST files cut to their first `n` train and `n` validation images. */
const smallData = (n: number): string => {
  const dir = tmp('data');
  for (const [key, name] of Object.entries(FILES)) {
    const raw = gunzipSync(readFileSync(join(DEFAULT_DATA_DIR, name)));
    const images = key.endsWith('Images');
    const header = Buffer.from(raw.subarray(0, images ? 16 : 8));
    header.writeUInt32BE(n, 4);
    const body = raw.subarray(header.length, header.length + n * (images ? PIXELS : 1));
    writeFileSync(join(dir, name), gzipSync(Buffer.concat([header, body])));
  }
  return dir;
};

let finished = '';
let oneStepRun: CliResult;

beforeAll(async () => {
  finished = join(tmp('one-step'), 'run');
  oneStepRun = await cli('train', ...oneStep, '--out', finished);
}, 120_000);

describe('class 1: every accepted setting trains', () => {
  it('a run of a single optimizer step (1cycle, the default) trains and reports epoch 1', () => {
    expect(oneStepRun.code, oneStepRun.stderr).toBe(0);
    expect(oneStepRun.stderr).toBe('');
    const rows = oneStepRun.stdout.split('\n').filter((l) => /\b(train|eval)\s+[\d.]+s$/.test(l));
    expect(rows.map((l) => l.trim().split(/\s+/).slice(2, 4).join(' '))).toEqual([
      '1 train',
      '1 eval',
    ]);
    // every core a worker: each worker's share of the 1024 in one piece (on one core, two of 512)
    // wasm, its convolutions native where they were built (native/conv.cc)
    const engine = nativeConvsOff() === null ? 'wasm (convolutions: oneDNN)' : 'wasm';
    expect(oneStepRun.stdout.split('\n')[0]).toContain(
      availableParallelism() > 1
        ? `· ${engine} · BatchNorm over the whole batch`
        : `· ${engine} · BatchNorm per micro-batch of 512`,
    );
    const metrics = readFileSync(join(finished, 'metrics.csv'), 'utf8').trim().split('\r\n');
    expect(metrics.slice(1).map((l) => l.split(',').slice(1, 3).join(' '))).toEqual([
      '1 train',
      '1 eval',
    ]);
    // The one step was taken at the 1cycle peak: the lr typed.
    const recorder = readFileSync(join(finished, 'recorder.csv'), 'utf8').trim().split('\r\n');
    expect(recorder).toHaveLength(2);
    expect(Number(recorder[1]?.split(',')[2])).toBe(0.01);
  });

  it('so does a single cosine step (batch larger than the subset)', async () => {
    const out = join(tmp('cosine'), 'run');
    const r = await cli('train', ...oneStep, '--bs', '4096', '--sched', 'cosine', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^accuracy 0\.\d{4} {2}loss \d/m);
  }, 120_000);

  it('--workers beyond the cores is refused up front, in one line', async () => {
    expectUsageError(
      await cli('train', ...oneStep, '--workers', '100000'),
      `--workers must be at most ${availableParallelism()}, the cores of this machine`,
    );
  }, 60_000);

  it('--tta without --aug flip says what a flip TTA does to a model that never saw a mirror image', async () => {
    const data = smallData(300);
    const tta = await cli(
      'train',
      ...oneStep,
      '--tta',
      '--data',
      data,
      '--out',
      join(tmp('tta'), 'run'),
    );
    expect(tta.code, tta.stderr).toBe(0);
    expect(tta.stdout).toContain('--tta averages each prediction with its mirror image');
    const flips = join(tmp('tta-flip'), 'run');
    const withFlip = await cli(
      'train',
      ...oneStep,
      '--tta',
      '--aug',
      'flip',
      '--data',
      data,
      '--out',
      flips,
    );
    expect(withFlip.code, withFlip.stderr).toBe(0);
    expect(withFlip.stdout).not.toContain('mirror image');
  }, 60_000);

  it('--subset beyond the images there are says it trains on all of them', async () => {
    const data = smallData(300);
    const out = join(tmp('subset'), 'run');
    const small = await cli('train', ...oneStep, '--subset', '5000', '--data', data, '--out', out);
    expect(small.code, small.stderr).toBe(0);
    expect(small.stdout).toContain('· all 300 images ·');
    expect(small.stdout).toContain(
      '--subset 5000 is not fewer than the 300 training images: training on all of them',
    );
    expect(small.stdout).not.toContain('5000 images');
  }, 240_000);
});

/** Each file a resumed run reads back, and two ways of damaging it. */
const FILES_READ_BACK = [
  'config.json',
  'checkpoint/state.json',
  'checkpoint/model.json',
  'checkpoint/weights.bin',
];
const truncate = (b: Buffer): Buffer => b.subarray(0, Math.floor(b.length / 2));
const corrupt = (b: Buffer): Buffer => {
  const c = Buffer.from(b);
  c.write('\0garbage', Math.floor(b.length / 2), 'latin1');
  return c;
};

describe('class 2: files a run reads back', () => {
  it('--resume on a finished run says so, and evaluates it again', async () => {
    const r = await cli('train', '--resume', '--out', finished);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'this run had already finished its 1 epoch: nothing more to train; its last checkpoint is evaluated again',
    );
    const before = /^accuracy (\S+)/m.exec(oneStepRun.stdout)?.[1];
    expect(/^accuracy (\S+)/m.exec(r.stdout)?.[1]).toBe(before);
  }, 120_000);

  const cases = FILES_READ_BACK.flatMap((file) =>
    (
      [
        ['truncated', truncate],
        ['corrupted', corrupt],
      ] as const
    ).map(([how, damage]) => ({ file, how, damage })),
  );
  it(
    'a truncated or corrupted file: exit 2 naming it, and it is left byte for byte',
    { timeout: 300_000 },
    async () => {
      const results = [];
      for (let i = 0; i < cases.length; i += 4) {
        results.push(
          ...(await Promise.all(
            cases.slice(i, i + 4).map(async ({ file, how, damage }) => {
              const out = join(tmp('damaged'), 'run');
              cpSync(finished, out, { recursive: true });
              const path = join(out, file);
              const bytes = damage(readFileSync(path));
              writeFileSync(path, bytes);
              const r = await cli('train', '--resume', '--out', out);
              return { file, how, path, bytes, r, after: readFileSync(path) };
            }),
          )),
        );
      }
      for (const { file, how, path, bytes, r, after } of results) {
        expect(r.code, `${how} ${file}: ${r.stdout}${r.stderr}`).toBe(2);
        expectUsageError(r, path);
        expect(r.stderr).toContain('it was left as it is');
        expect(after.equals(bytes), `${how} ${file} was changed`).toBe(true);
      }
    },
  );

  it('a missing checkpoint state beside its weights is refused, not started over', async () => {
    const out = join(tmp('missing'), 'run');
    cpSync(finished, out, { recursive: true });
    const weights = readFileSync(join(out, 'checkpoint', 'weights.bin'));
    rmSync(join(out, 'checkpoint', 'state.json'));
    const r = await cli('train', '--resume', '--out', out);
    expectUsageError(r, join(out, 'checkpoint', 'state.json'));
    expect(readFileSync(join(out, 'checkpoint', 'weights.bin')).equals(weights)).toBe(true);
  }, 60_000);

  it('--resume keeps the saved settings: other flags are refused, the workers may change', async () => {
    const r = await cli('train', '--resume', '--out', finished, '--epochs', '9');
    expectUsageError(r, `drop --epochs (only --out, --data, --workers may be given)`);
    expectUsageError(
      await cli('train', '--resume', '--out', finished, '--workers', '99'),
      '--workers must be at most',
    );
    if (availableParallelism() < 2) return;
    // one thread cannot hold the whole batch of 1,024 that BatchNorm normalised: refused
    expectUsageError(
      await cli('train', '--resume', '--out', finished, '--workers', '1'),
      'cannot hold it (at most 512 images a thread at once); resume with --workers 2 or more',
    );
    // a batch of 256 fits one thread: the same training, on one worker
    const out = join(tmp('bs256'), 'run');
    const trained = await cli('train', ...oneStep, '--bs', '256', '--workers', '2', '--out', out);
    expect(trained.code, trained.stderr).toBe(0);
    const one = await cli('train', '--resume', '--out', out, '--workers', '1');
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toContain("1 worker(s) instead of the run's 2");
    expect(one.stdout).toContain('BatchNorm over the whole batch');
    expect(one.stdout).toContain('its last checkpoint is evaluated again');
    expect(/^accuracy (\S+)/m.exec(one.stdout)?.[1]).toBe(
      /^accuracy (\S+)/m.exec(trained.stdout)?.[1],
    );
  }, 120_000);

  it('training into a folder that holds a run is refused; the run is untouched', async () => {
    const config = readFileSync(join(finished, 'config.json'));
    const state = readFileSync(join(finished, 'checkpoint', 'state.json'));
    const r = await cli('train', ...oneStep, '--lr', '0.1', '--out', finished);
    expectUsageError(r, `--out ${finished} already holds a run; continue it with --resume`);
    expect(readFileSync(join(finished, 'config.json')).equals(config)).toBe(true);
    expect(readFileSync(join(finished, 'checkpoint', 'state.json')).equals(state)).toBe(true);
  }, 60_000);

  it('the saved model (model/): a damaged model.json or weights.bin names the file', async () => {
    await initNodeBackend('cpu');
    for (const file of ['model.json', 'weights.bin']) {
      for (const damage of [truncate, corrupt]) {
        const dir = join(tmp('model'), 'model');
        cpSync(join(finished, 'model'), dir, { recursive: true });
        writeFileSync(join(dir, file), damage(readFileSync(join(dir, file))));
        const { model } = buildModel('cnn');
        await expect(loadWeightsInto(model, dir)).rejects.toThrow(
          join(dir, file === 'model.json' ? 'model.json' : 'weights.bin'),
        );
        model.dispose();
      }
    }
    const { model } = buildModel('cnn');
    await loadWeightsInto(model, join(finished, 'model')); // the undamaged one loads
    model.dispose();
  }, 60_000);
});

describe('class 3: outputs that cannot be written are one line, exit 2', () => {
  it.each([
    [['sheet', 'basic', '--csv', '/nonexistent/dir/x.csv'], '--csv /nonexistent/dir/x.csv'],
    [['sheet', 'basic', '--xlsx', '/dev/null/x.xlsx'], '--xlsx /dev/null/x.xlsx'],
    [['sheet', 'basic', '--csv', tmpdir()], `--csv ${tmpdir()}: cannot write it (it is a folder)`],
    [['train', ...oneStep, '--out', '/dev/null/x'], '--out /dev/null/x: cannot create'],
    [['lr-find', '--model', 'cnn', '--csv', '/nonexistent/x.csv'], '--csv /nonexistent/x.csv'],
  ])(
    '%j',
    async (args, what) => {
      expectUsageError(await cli(...args), what);
    },
    60_000,
  );
});

describe('class 4: messages say what happened', () => {
  it('a NaN in the first epoch: nothing was saved, and it says so; lr in 4 digits', async () => {
    const out = join(tmp('nan'), 'run');
    const r = await cli(
      'train',
      ...['--model', 'cnn', '--subset', '1024', '--epochs', '1', '--bs', '256'],
      ...['--opt', 'sgd', '--sched', 'constant', '--lr', '1e9', '--workers', '1', '--out', out],
    );
    expectUsageError(r, /^gradsheet: the loss became (NaN|Infinity) at epoch 1, batch \d/);
    expect(r.stderr).toContain('(lr 1e+9)');
    expect(r.stderr).toContain('Nothing was saved: no epoch had finished.');
    expect(r.stderr).not.toMatch(/so far/);
    expect(existsSync(join(out, 'checkpoint'))).toBe(false);
  }, 120_000);

  it('a NaN validation loss while the training loss is finite stops the run too, saying so', async () => {
    const out = join(tmp('nanv'), 'run');
    const r = await cli(
      'train',
      ...['--model', 'cnn', '--subset', '256', '--epochs', '2', '--bs', '128'],
      ...['--lr', '1e6', '--workers', '1', '--out', out],
    );
    expectUsageError(r, /^gradsheet: the validation loss became (NaN|Infinity) at epoch 1 \(lr /);
    expect(r.stderr).toContain('Try a lower learning rate.');
    expect(r.stderr).toContain('Nothing was saved: no epoch had finished.');
    expect(existsSync(join(out, 'run.json'))).toBe(false);
  }, 120_000);

  it('a NaN after an epoch names the checkpoint kept; the lr has 4 significant digits', async () => {
    const out = join(tmp('nan2'), 'run');
    const r = await cli(
      'train',
      ...['--model', 'cnn', '--subset', '1024', '--epochs', '5', '--bs', '256'],
      ...['--opt', 'sgd', '--lr', '3.14159e5', '--workers', '1', '--out', out],
    );
    expectUsageError(
      r,
      /the loss became (NaN|Infinity) at epoch 2, batch \d+ \(lr \d\.\d{3}e\+5\)/,
    );
    expect(r.stderr).toContain(`The checkpoint after epoch 1 is kept in ${out}/checkpoint.`);
    const state = JSON.parse(readFileSync(join(out, 'checkpoint', 'state.json'), 'utf8')) as {
      epoch: number;
    };
    expect(state.epoch).toBe(1);
    // Huge losses in the table are in one format, not 12 digits then an exponent.
    const losses = r.stdout
      .split('\n')
      .filter((l) => /\b(train|eval)\s+[\d.]+s$/.test(l))
      .map((l) => l.trim().split(/\s+/)[1] ?? '');
    for (const loss of losses) expect(loss).toMatch(/^(\d+\.\d{3}|\d\.\d\de[+-]\d+|NaN|Infinity)$/);
  }, 120_000);
});
