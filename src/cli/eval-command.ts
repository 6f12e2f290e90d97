import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelName, TrainConfig } from '../training/index.ts';
import {
  challengeLine,
  DataFileError,
  sameViews,
  ttaViewsOf,
  viewsText,
} from '../training/index.ts';
import type { SavedWeights, ViewsFigure } from '../training/node/index.ts';
import { evaluateSaved, memberDir, nodeStore, savedModelName } from '../training/node/index.ts';
import { parseFlags, UsageError } from './args.ts';
import { savedConfig } from './run-dir.ts';
import { NEVER_MIRRORED } from './train-command.ts';
import { formatTable } from './table.ts';
import { configFrom } from './train-flags.ts';
import { evalFlags } from './eval-usage.ts';
import { loadData, startBackend } from './backend-data.ts';

/** eval's advice after a damaged file: it reads, and changes nothing. */
const LEFT_AS_IT_IS = 'it was left as it is';

/** One model to evaluate: where its weights are, and what they are. */
interface Saved extends SavedWeights {
  readonly what: string;
}

/** What `DIR` holds: the model's name, the run's settings (a run folder), the weights to read. */
interface Target {
  readonly model: ModelName;
  readonly run: TrainConfig | null;
  readonly saved: readonly Saved[];
  /** Whether the weights are the finished run's (so the lesson's figure for its epochs applies). */
  readonly finished: boolean;
}

const targetOf = async (dir: string): Promise<Target> => {
  if (!existsSync(dir)) throw new UsageError(`${dir} does not exist`);
  if (existsSync(join(dir, 'config.json'))) {
    const { config } = await savedConfig(dir, LEFT_AS_IT_IS);
    const store = nodeStore(dir, config.ensemble);
    const saved: Saved[] = [];
    let finished = true;
    for (let k = 0; k < config.ensemble; k++) {
      const member = memberDir(dir, config.ensemble, k);
      const name = config.ensemble > 1 ? `member ${k}: ` : '';
      if (existsSync(join(member, 'model', 'model.json'))) {
        saved.push({ dir: join(member, 'model'), what: `${name}the trained model` });
        continue;
      }
      const checkpoint = await store.readCheckpoint(k);
      if (checkpoint) {
        finished = false;
        const { epoch, ema } = checkpoint;
        const average = ema ? `, its moving average of the weights (--ema ${ema.decay})` : '';
        saved.push({
          dir: join(member, 'checkpoint'),
          what: `${name}the checkpoint after epoch ${epoch} of ${config.epochs}${average} (the run has not finished)`,
          ...(ema ? { ema } : {}),
        });
      } else {
        throw new UsageError(
          `${dir}: ${config.ensemble > 1 ? `member ${k} has` : 'the run has'} no model and no checkpoint yet (no epoch has finished)`,
        );
      }
    }
    return { model: config.model, run: config, saved, finished };
  }
  if (existsSync(join(dir, 'model.json')))
    return {
      model: await savedModelName(dir),
      run: null,
      saved: [{ dir, what: 'the saved model' }],
      finished: false,
    };
  throw new UsageError(
    `${dir} holds neither a run (config.json) nor a saved model (model.json + weights.bin)`,
  );
};

/** A file that cannot be read is the user's to fix: its message, as a one-line usage error. */
const usageErrors = async <T>(f: () => Promise<T>): Promise<T> => {
  try {
    return await f();
  } catch (err) {
    if (err instanceof DataFileError) throw new UsageError(`${err.message}; ${LEFT_AS_IT_IS}`);
    throw err;
  }
};

/**
 * `gradsheet eval DIR`: a trained run's (or saved model's) validation accuracy, plain and with
 * the test-time views asked for, each added to the ones before, as `gradsheet train` computes
 * them at the end of a run; for a finished run, beside the lesson's figure for its epochs.
 */
export const evalCommand = async (argv: readonly string[]): Promise<string> => {
  const { values, positional } = parseFlags(argv, evalFlags, 'eval');
  const [dir, extra] = positional;
  if (dir === undefined)
    throw new UsageError('eval: which run? gradsheet eval DIR (a folder of gradsheet train --out)');
  if (extra !== undefined) throw new UsageError(`eval: unexpected argument '${extra}'`);
  const asked = configFrom(values);
  const target = await usageErrors(() => targetOf(dir));
  const subset = values.has('subset') ? asked.subset : (target.run?.subset ?? null);
  const started = await startBackend(asked.backend);
  const data = await loadData(values.get('data'));
  // a run's own views unless others are asked for, so its own figures come back by default
  const own = target.run ? ttaViewsOf(target.run) : null;
  const views = own && !values.has('tta') && !values.has('tta-views') ? own : ttaViewsOf(asked);
  const r = await usageErrors(() =>
    evaluateSaved(target.model, target.saved, data, {
      bs: target.run?.bs ?? asked.bs,
      subset,
      views,
    }),
  );
  const label = (v: ViewsFigure['views']): string =>
    v === 'plain'
      ? 'plain'
      : v === 'flip'
        ? '+ flip'
        : `+ ${views.shifts} shift${views.shifts === 1 ? '' : 's'} (1 pixel ${r.shifts.join(', ')})`;
  const images = r.images.toLocaleString('en');
  const lines = [
    `${target.model} from ${dir} · ${images} validation images · ${started}`,
    ...target.saved.map((s) => `${s.what}: ${s.dir}`),
  ];
  if (views.flip && target.run && !target.run.aug.includes('flip'))
    lines.push(`the flip view: the run trained without --aug flip, and ${NEVER_MIRRORED}`);
  if (r.members.length > 1)
    lines.push(
      `members, plain: ${r.members.map((a) => a.toFixed(4)).join(', ')}; the rows below average their logits`,
    );
  lines.push(
    formatTable(
      ['views', 'accuracy', 'loss'],
      r.rows.map((row) => [label(row.views), row.accuracy.toFixed(4), row.loss.toFixed(4)]),
    ),
  );
  const last = r.rows[r.rows.length - 1];
  // the lesson's figure is for the run as trained: its own views, on every validation image
  const asTrained = own !== null && sameViews(views, own) && subset === null;
  const challenge =
    target.run && target.finished && asTrained && last
      ? challengeLine(target.run.epochs, last.accuracy)
      : null;
  if (challenge) lines.push(challenge);
  else if (target.run && target.finished && subset === null && !asTrained)
    lines.push(
      `the lesson's line is left out: these views are not the run's own (${own ? viewsText(own) : 'none'})`,
    );
  return lines.join('\n');
};
