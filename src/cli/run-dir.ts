import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckpointState } from '../training/checkpoint.ts';
import { DataFileError } from '../training/idx.ts';
import { nodeStore } from '../training/node-store.ts';
import { readJson } from '../training/read-json.ts';
import type { TrainConfig } from '../training/run.ts';
import { DEFAULT_CONFIG } from '../training/run.ts';
import { UsageError } from './args.ts';
import { configFrom } from './train-flags.ts';

/** What to do about a damaged file of a run, said after the file and its fault. */
export const DAMAGED_ADVICE =
  'it was left as it is: restore it from a copy, or train a new run with another --out';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The saved config as the flags that would have made it, so it is checked as the flags are. */
const asFlags = (c: Record<string, unknown>): Map<string, string> => {
  const flags = new Map<string, string>();
  const put = (flag: string, v: unknown): void => {
    if (v === null || v === undefined || v === false) return;
    const text = (x: unknown): string =>
      typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean' ? String(x) : '?';
    flags.set(flag, Array.isArray(v) ? v.map(text).join(',') : text(v));
  };
  for (const key of ['model', 'epochs', 'bs', 'lr', 'opt', 'sched', 'ensemble', 'seed', 'subset'])
    put(key, c[key]);
  put('aug', c.aug);
  put('tta', c.tta);
  put('backend', c.backend);
  put('micro-batch', c.microBatch);
  put('workers', c.workers);
  return flags;
};

/**
 * The settings of the run in `out`, for `--resume`: its config.json, checked as the flags are.
 * More workers than this machine has cores are lowered to the cores, with a note.
 */
export const savedConfig = async (
  out: string,
): Promise<{ config: TrainConfig; notes: string[] }> => {
  const path = join(out, 'config.json');
  if (!existsSync(path))
    throw new UsageError(`--resume: ${out} holds no run to continue (it has no config.json)`);
  let saved: unknown;
  try {
    saved = await readJson(path);
  } catch (err) {
    if (err instanceof DataFileError) throw new UsageError(`${err.message}; ${DAMAGED_ADVICE}`);
    throw err;
  }
  const c = isRecord(saved) ? saved.config : undefined;
  if (!isRecord(c)) throw new UsageError(`${path}: damaged (no config); ${DAMAGED_ADVICE}`);
  const missing = Object.keys(DEFAULT_CONFIG).filter((k) => !(k in c));
  if (missing.length)
    throw new UsageError(`${path}: damaged (no ${missing.join(', ')}); ${DAMAGED_ADVICE}`);
  const notes: string[] = [];
  const cores = availableParallelism();
  const flags = asFlags(c);
  if (typeof c.workers === 'number' && c.workers > cores) {
    notes.push(`the run used ${c.workers} workers; this machine has ${cores} cores, so ${cores}`);
    flags.set('workers', String(cores));
  }
  let config: TrainConfig;
  try {
    config = configFrom(flags);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    throw new UsageError(`${path}: damaged (${err.message.replace(/^--/, '')}); ${DAMAGED_ADVICE}`);
  }
  const hyper = c.hyper;
  if (hyper !== undefined) {
    if (!isRecord(hyper) || !Object.values(hyper).every((v) => Number.isFinite(v)))
      throw new UsageError(`${path}: damaged (hyper is not a set of numbers); ${DAMAGED_ADVICE}`);
    config = { ...config, hyper: hyper as NonNullable<TrainConfig['hyper']> };
  }
  return { config, notes };
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
