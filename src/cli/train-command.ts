import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  challengeLine,
  DataFileError,
  formatLr,
  isModelName,
  MODEL_NAMES,
  ruleOf,
} from '../training/index.ts';
import { buildModel, lrFindFor, NonFiniteLossError, summarise } from '../training/trainer.ts';
import { initNodeBackend, trainRunInDir } from '../training/node/index.ts';
import type { TrainConfig } from '../training/index.ts';
import { toCsv } from '../core/index.ts';
import { wholeBatchNorm } from '../core/backends.ts';
import { parseFlags, UsageError } from './args.ts';
import { checkWritable, isFsError, makeOutputDir, writeOutput, writeProblem } from './files.ts';
import { DAMAGED_ADVICE, savedCheckpoints, savedConfig, withWorkers } from './run-dir.ts';
import { formatTable } from './table.ts';
import { loadData, startBackend } from './backend-data.ts';
import { configFrom, trainFlags } from './train-flags.ts';
import { lrFindFlags, summaryFlags } from './small-usage.ts';

const stamp = (): string => new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);

/** Where the checkpoints of `out` stand after a NaN: what the user still has. */
const keptAfterNan = async (out: string, config: TrainConfig): Promise<string> => {
  const states = await savedCheckpoints(out, config).catch(() => []);
  const last = states.findLast((s) => s !== null);
  if (!last) return 'Nothing was saved: no epoch had finished.';
  const where = config.ensemble > 1 ? `${out}/member-*/checkpoint` : `${out}/checkpoint`;
  return `The checkpoint after epoch ${last.epoch} is kept in ${where}.`;
};

/**
 * An unknown flag beside `--rule` may be the rule's own hyperparameter (`--rho`), which the
 * sheet takes as a flag: say where training takes it instead.
 */
const ruleHyperHint = (flag: string, argv: readonly string[]): string | null =>
  argv.includes('--rule')
    ? `if '${flag}' is your rule's own hyperparameter, training sets it in the rule's text (hyper ${flag} = …), as only β₁, β₂, ε and weight decay have flags`
    : null;

/** The flags `--resume` takes: which run, where the data is, and how many worker threads. */
const RESUME_FLAGS: readonly string[] = ['out', 'resume', 'data', 'workers'];

/** `gradsheet train`: returns the closing summary to print. */
export const trainCommand = async (argv: readonly string[]): Promise<string> => {
  const { values, positional } = parseFlags(argv, trainFlags, 'train', ruleHyperHint);
  if (positional.length)
    throw new UsageError(`train: unexpected argument '${positional[0] ?? ''}'`);
  const out = values.get('out') ?? join('runs', stamp());
  let config: TrainConfig = configFrom(values);
  const notes: string[] = [];
  const resume = values.has('resume');
  if (resume) {
    if (!values.has('out'))
      throw new UsageError('--resume needs the --out DIR of the run to continue');
    const saved = await savedConfig(out);
    const others = [...values.keys()].filter((k) => !RESUME_FLAGS.includes(k));
    if (others.length) {
      throw new UsageError(
        `--resume continues with the run's saved settings (${join(out, 'config.json')}); drop --${others.join(', --')} (only --${RESUME_FLAGS.filter((k) => k !== 'resume').join(', --')} may be given)`,
      );
    }
    if (values.has('workers')) {
      config = withWorkers(saved.config, config.workers);
      if (config.workers !== saved.config.workers)
        notes.push(`${config.workers} worker(s) instead of the run's ${saved.config.workers}`);
    } else {
      config = saved.config;
      notes.push(...saved.notes);
    }
    if ((await savedCheckpoints(out, config)).every((c) => c === null))
      notes.push('it has no checkpoint yet (no epoch had finished): training from epoch 1');
  } else if (existsSync(join(out, 'config.json'))) {
    throw new UsageError(
      `--out ${out} already holds a run; continue it with --resume, or choose another --out`,
    );
  }
  const backend = await startBackend(config.backend);
  const data = await loadData(values.get('data'));
  await makeOutputDir('out', out); // after the data: a run that cannot start leaves no folder
  const available = data.train.n;
  if (config.subset !== null && config.subset >= available) {
    notes.push(
      `--subset ${config.subset} is not fewer than the ${available.toLocaleString('en')} training images: training on all of them`,
    );
    config = { ...config, subset: null };
  }
  if (config.tta && !config.aug.includes('flip'))
    notes.push(
      `--tta averages each prediction with its mirror image, and this run trains without --aug flip: ${NEVER_MIRRORED}`,
    );
  await writeOutput('out', join(out, 'config.json'), JSON.stringify({ config }, null, 2) + '\n');
  const write = (line: string): void => {
    process.stdout.write(line + '\n');
  };
  const bar = process.stderr.isTTY ? (t: string) => process.stderr.write(t) : null;
  const rule = ruleText(config);
  const sched = config.schedFormula
    ? `schedule formula per ${config.schedEvery ?? 'batch'}`
    : config.sched;
  const batchNormText = wholeBatchNorm(config.bs, config.workers, config.microBatch)
    ? 'BatchNorm over the whole batch'
    : `BatchNorm per micro-batch of ${config.microBatch}`;
  write(
    `${config.model} · ${rule} lr ${formatLr(config.lr)} ${sched} · ${config.epochs} epochs · bs ${config.bs} · ${config.subset ? `${config.subset} images` : `all ${available.toLocaleString('en')} images`} · ${backend} · ${batchNormText}${config.aug.length ? ` · aug ${config.aug.join(',')}${config.augPer === 'image' ? ' per image' : ''}` : ''}`,
  );
  for (const note of notes) write(note);
  const stop = { requested: false };
  const onSigint = (): void => {
    if (stop.requested) process.exit(130);
    stop.requested = true;
    process.stderr.write(
      '\nstopping after this batch; the last epoch’s checkpoint is kept (resume with --resume)\n',
    );
  };
  process.on('SIGINT', onSigint);
  try {
    const r = await trainRunInDir(config, data, { out, write, bar, resume, stop });
    const lines = [
      r.stopped
        ? `stopped; resume with: gradsheet train --resume --out ${out}`
        : `accuracy ${r.accuracy.toFixed(4)}  loss ${r.loss.toFixed(4)}  ${r.seconds.toFixed(1)} s`,
    ];
    if (r.ttaAccuracy !== null)
      lines.push(`without TTA ${r.plainAccuracy.toFixed(4)}, with TTA ${r.ttaAccuracy.toFixed(4)}`);
    if (r.members.length > 1)
      lines.push(
        `members: ${r.members.map((m) => m.accuracy.toFixed(4)).join(', ')}; ensemble ${r.plainAccuracy.toFixed(4)}`,
      );
    const challenge = r.stopped ? null : challengeLine(config.epochs, r.accuracy);
    if (challenge) lines.push(challenge);
    lines.push(`wrote ${out}/metrics.csv, recorder.csv, run.json, model/, model.safetensors`);
    return lines.join('\n');
  } catch (err) {
    if (err instanceof NonFiniteLossError)
      throw new UsageError(`${err.message} ${await keptAfterNan(out, config)}`);
    if (err instanceof DataFileError) throw new UsageError(`${err.message}; ${DAMAGED_ADVICE}`);
    if (isFsError(err)) throw new UsageError(`cannot write ${err.path} (${writeProblem(err)})`);
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
  }
};

/** The update rule a run trains with, for its header line. */
const ruleText = (config: TrainConfig): string =>
  config.rule ? `rule ${ruleOf(config).name ?? '(yours)'}` : config.opt;

/** Why flip TTA on a model trained without flips is a risk, said by `train` and `eval`. */
export const NEVER_MIRRORED =
  'a model that never saw a mirror image can lose accuracy by it (docs/results.md, "The challenge")';

/** `gradsheet lr-find`: the loss against lr, ×1.3 per batch from 1e-5, and a suggestion. */
export const lrFindCommand = async (argv: readonly string[]): Promise<string> => {
  const { values, positional } = parseFlags(argv, lrFindFlags, 'lr-find', ruleHyperHint);
  if (positional.length)
    throw new UsageError(`lr-find: unexpected argument '${positional[0] ?? ''}'`);
  const config = configFrom(values);
  const startRaw = values.get('start-lr');
  const startLr = startRaw === undefined ? 1e-5 : Number(startRaw);
  if (!(startLr > 0))
    throw new UsageError(`--start-lr must be a number greater than 0, got '${startRaw ?? ''}'`);
  const csv = values.get('csv');
  if (csv) await checkWritable('csv', csv);
  const started = await startBackend(config.backend);
  const data = await loadData(values.get('data'));
  const images = config.subset ?? data.train.n;
  process.stdout.write(
    `lr_find: ${config.model} · ${ruleText(config)} · bs ${config.bs} · ${images.toLocaleString('en')} training images · ${started}\n`,
  );
  const r = await lrFindFor(config, data, { startLr });
  if (csv)
    await writeOutput(
      'csv',
      csv,
      toCsv([['lr', 'loss'], ...r.lrs.map((lr, i) => [lr, r.losses[i] ?? NaN])]),
    );
  return [
    formatTable(
      ['step', 'lr', 'loss'],
      r.lrs.map((lr, i) => [i, lr, r.losses[i] ?? NaN]),
    ),
    `suggested lr: ${r.suggestion.toPrecision(2)} (a tenth of the lr at the lowest loss)`,
    ...(csv ? [`wrote ${csv}`] : []),
  ].join('\n');
};

/** `gradsheet summary --model NAME [--json]`: per-module shapes, params and MFLOPs. */
export const summaryCommand = async (argv: readonly string[]): Promise<string> => {
  const { values, positional } = parseFlags(argv, summaryFlags, 'summary');
  if (positional.length)
    throw new UsageError(`summary: unexpected argument '${positional[0] ?? ''}'`);
  const name = values.get('model') ?? 'resnet-small';
  if (!isModelName(name))
    throw new UsageError(`--model '${name}' is not one of ${MODEL_NAMES.join(', ')}`);
  await initNodeBackend('cpu');
  const s = summarise(buildModel(name));
  if (values.has('json')) return JSON.stringify(s, null, 2);
  const shape = (sh: readonly (number | null)[]): string =>
    `[${sh.map((d) => d ?? 'bs').join(', ')}]`;
  return [
    name,
    formatTable(
      ['module', 'input', 'output', 'params', 'MFLOPs'],
      s.rows.map((r) => [r.module, shape(r.input), shape(r.output), r.params, r.mflops.toFixed(2)]),
    ),
    `total: ${s.params.toLocaleString('en')} params, ${s.mflops.toFixed(1)} MFLOPs`,
  ].join('\n');
};
