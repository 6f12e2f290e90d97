import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckpointState, TrainConfig } from '../training/index.ts';
import { DataFileError, DEFAULT_CONFIG } from '../training/index.ts';
import { microBatchFor, NODE_CPU_ROWS, onGpu, wholeBatchNorm } from '../core/backends.ts';
import { nodeStore, readJson } from '../training/node/index.ts';
import { UsageError } from './args.ts';
import { nodeEnv } from './train-flags.ts';
import { buildConfig } from '../settings/train.ts';

/** What to do about a damaged file of a run, said after the file and its fault. */
export const DAMAGED_ADVICE =
  'it was left as it is: restore it from a copy, or train a new run with another --out';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The settings of the run in `out`, for `--resume` and `eval`: its config.json, checked as the
 * flags are; a damaged one is a `UsageError` naming it, then `advice`.
 * More workers than this machine has cores are lowered to the cores, with a note.
 */
export const savedConfig = async (
  out: string,
  advice = DAMAGED_ADVICE,
): Promise<{ config: TrainConfig; notes: string[] }> => {
  const path = join(out, 'config.json');
  if (!existsSync(path))
    throw new UsageError(`--resume: ${out} holds no run to continue (it has no config.json)`);
  let saved: unknown;
  try {
    saved = await readJson(path);
  } catch (err) {
    if (err instanceof DataFileError) throw new UsageError(`${err.message}; ${advice}`);
    throw err;
  }
  const c = isRecord(saved) ? saved.config : undefined;
  if (!isRecord(c)) throw new UsageError(`${path}: damaged (no config); ${advice}`);
  const missing = Object.keys(DEFAULT_CONFIG).filter((k) => !(k in c));
  if (missing.length)
    throw new UsageError(`${path}: damaged (no ${missing.join(', ')}); ${advice}`);
  const notes: string[] = [];
  const cores = availableParallelism();
  const hyper = isRecord(c.hyper) ? c.hyper : {};
  if (c.hyper !== undefined && !isRecord(c.hyper))
    throw new UsageError(`${path}: damaged (hyper is not a set of numbers); ${advice}`);
  // checked as if this machine had the run's cores: fewer cores change only where it runs
  const ran = typeof c.workers === 'number' ? c.workers : 1;
  const { config, errors } = buildConfig(
    'cli',
    { ...nodeEnv(), cores: Math.max(cores, ran) },
    (s) => (s.key in hyper ? hyper[s.key] : c[s.key]),
    (s) => s.key,
  );
  const first = Object.values(errors)[0];
  if (first !== undefined || !config)
    throw new UsageError(`${path}: damaged (${first ?? 'no config'}); ${advice}`);
  if (config.workers <= cores) return { config, notes };
  try {
    const fewer = withWorkers(config, cores);
    notes.push(
      `the run used ${config.workers} workers; this machine has ${cores} cores, so ${cores}`,
    );
    return { config: fewer, notes };
  } catch {
    notes.push(
      `the run used ${config.workers} workers; this machine has ${cores} cores, and fewer workers would change what BatchNorm normalises: keeping ${config.workers}, sharing the cores`,
    );
    return { config, notes };
  }
};

/**
 * Every member's checkpoint in `out` (state, weights), read and checked before anything trains;
 * null for a member that has none yet. A damaged one is a `UsageError` naming the file.
 */
export const savedCheckpoints = async (
  out: string,
  config: TrainConfig,
): Promise<(CheckpointState | null)[]> => {
  const store = nodeStore(out, config.ensemble);
  const states: (CheckpointState | null)[] = [];
  for (let k = 0; k < config.ensemble; k++) {
    try {
      states.push(await store.readCheckpoint(k));
    } catch (err) {
      if (err instanceof DataFileError) throw new UsageError(`${err.message}; ${DAMAGED_ADVICE}`);
      throw err;
    }
  }
  return states;
};

/**
 * A saved run on `workers` gradient workers instead of its own, for `--resume --workers N`: the
 * same training when BatchNorm normalises the whole batch before and after (each worker's share
 * in one piece, the workers adding their sums: only the order of the sums changes). Where it
 * normalised pieces of the batch, or the new share would not fit in one piece, another split
 * would train something else: refused.
 */
export const withWorkers = (c: TrainConfig, workers: number): TrainConfig => {
  if (workers === c.workers) return c;
  if (onGpu(c.backend))
    throw new UsageError(
      `--workers ${workers}: this run trains on the GPU (${c.backend}), in one worker; resume without --workers`,
    );
  const microBatch = Math.max(c.microBatch, microBatchFor(c.backend, c.bs, workers, NODE_CPU_ROWS));
  if (!wholeBatchNorm(c.bs, c.workers, c.microBatch))
    throw new UsageError(
      `--workers ${workers}: this run's BatchNorm normalises each piece of ${c.microBatch} images, and ${workers} worker(s) would cut the batch of ${c.bs} into other pieces; resume without --workers`,
    );
  if (!wholeBatchNorm(c.bs, workers, microBatch))
    throw new UsageError(
      `--workers ${workers}: this run's BatchNorm normalises the whole batch of ${c.bs}, and ${workers} worker(s) cannot hold it (at most ${NODE_CPU_ROWS} images a thread at once); resume with --workers ${Math.ceil(c.bs / NODE_CPU_ROWS)} or more, or without --workers`,
    );
  return { ...c, workers, microBatch };
};
