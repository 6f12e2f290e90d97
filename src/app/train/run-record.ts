import type { EpochLog, RunResult, TrainAdditions, TrainConfig } from '../../training/index.ts';
import { parseRule } from '../../optimizers/index.ts';
import { ADDITION_SETTINGS } from '../../settings/train.ts';
import type { EvaluationReport, FromWorker } from './protocol.ts';

/** What one ensemble member's training traced, for the charts and the epoch table. */
export interface MemberTrace {
  logs: EpochLog[];
  batchLosses: number[];
  lrs: number[];
  beta1s: number[];
}

export type RunStatus = 'running' | 'stopped' | 'done' | 'failed';

/** A run as the run table keeps it (in IndexedDB, with its checkpoints beside it). */
export interface RunRecord {
  readonly id: string;
  readonly label: string;
  readonly colour: number;
  readonly created: string;
  readonly config: TrainConfig;
  backend: string;
  status: RunStatus;
  message: string;
  members: MemberTrace[];
  result: RunResult | null;
  report: EvaluationReport | null;
  metricsCsv: string;
  recorderCsv: string;
}

const emptyTrace = (): MemberTrace => ({ logs: [], batchLosses: [], lrs: [], beta1s: [] });

/** The run's update rule as the run table names it: the optimizer, or the rule's own name. */
export const ruleName = (c: Pick<TrainConfig, 'opt' | 'rule'>): string => {
  if (!c.rule) return c.opt;
  const name = parseRule(c.rule).rule?.name;
  return name ? `rule ${name}` : 'your rule';
};

/** The run's schedule as the run table names it. */
export const scheduleName = (
  c: Pick<TrainConfig, 'sched' | 'schedFormula' | 'schedEvery'>,
): string => (c.schedFormula ? `own schedule per ${c.schedEvery ?? 'batch'}` : c.sched);

/** The additions a run trains with, named as the CLI's flags: `label-smoothing 0.1 · ema 0.9`. */
export const describeAdditions = (c: TrainConfig): string[] =>
  ADDITION_SETTINGS.flatMap((a) => {
    const v = c[a.key as keyof TrainAdditions];
    return v ? [`${a.flag} ${String(v)}`] : [];
  });

export const describeConfig = (c: TrainConfig): string =>
  [
    c.model,
    `${ruleName(c)} ${String(c.lr)}`,
    scheduleName(c),
    `${String(c.epochs)} ep`,
    `bs ${String(c.bs)}`,
    ...(c.aug.length ? [c.aug.join('+') + (c.augPer === 'image' ? ' per image' : '')] : []),
    ...(c.tta ? ['TTA'] : []),
    ...describeAdditions(c),
    ...(c.ensemble > 1 ? [`×${String(c.ensemble)}`] : []),
    ...(c.subset ? [`${String(c.subset)} imgs`] : []),
  ].join(' · ');

export const newRun = (config: TrainConfig, backend: string, index: number): RunRecord => ({
  id: `run-${Date.now().toString(36)}`,
  label: `#${String(index + 1)} ${ruleName(config).replace(/^rule /, '')}`,
  colour: index,
  created: new Date().toISOString(),
  config,
  backend,
  status: 'running',
  message: '',
  members: Array.from({ length: config.ensemble }, emptyTrace),
  result: null,
  report: null,
  metricsCsv: '',
  recorderCsv: '',
});

const trace = (run: RunRecord, member: number): MemberTrace => {
  let t = run.members[member];
  if (!t) {
    t = emptyTrace();
    run.members[member] = t;
  }
  return t;
};

/** Folds a worker message about this run into it; true when the run table should be saved. */
export const applyMessage = (run: RunRecord, m: FromWorker): boolean => {
  switch (m.type) {
    case 'batch': {
      const t = trace(run, m.member);
      t.batchLosses[m.step] = m.loss;
      t.lrs[m.step] = m.lr;
      if (m.beta1 !== null) t.beta1s[m.step] = m.beta1;
      return false;
    }
    case 'epoch':
      trace(run, m.member).logs.push(m.log);
      return true;
    case 'resumed': {
      // The checkpoint is the truth: drop whatever was traced after it.
      run.members[m.member] = {
        logs: [...m.logs],
        batchLosses: [...m.batchLosses],
        lrs: [...(m.records.lr ?? [])],
        beta1s: [...(m.records.beta1 ?? [])],
      };
      return true;
    }
    case 'done':
      run.result = m.result;
      run.backend = m.result.config.backend; // what 'auto' resolved to, or a fallback
      run.report = m.report;
      run.metricsCsv = m.metricsCsv;
      run.recorderCsv = m.recorderCsv;
      run.status = m.result.stopped ? 'stopped' : 'done';
      return true;
    default:
      return false;
  }
};

export const memberLogs = (run: RunRecord, member: number): readonly EpochLog[] =>
  run.members[member]?.logs ?? [];

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a stored value has what the run table reads (a damaged one would break the page). */
export const isRun = (v: unknown): v is RunRecord =>
  isRecord(v) &&
  typeof v.id === 'string' &&
  typeof v.label === 'string' &&
  typeof v.created === 'string' &&
  typeof v.status === 'string' &&
  isRecord(v.config) &&
  typeof v.config.model === 'string' &&
  Number.isInteger(v.config.epochs) &&
  Array.isArray(v.members) &&
  v.members.every((m) => isRecord(m) && Array.isArray(m.logs) && Array.isArray(m.batchLosses));

/**
 * The runs of stored values, oldest first: a damaged value is not among them (`damaged` names it
 * by its id, or '?'), and a run that was still running when the page closed is stopped.
 */
export const reviveRuns = (
  stored: readonly unknown[],
): { runs: RunRecord[]; damaged: string[] } => {
  const runs = stored.filter(isRun);
  const damaged = stored
    .filter((v) => !isRun(v))
    .map((v) => (isRecord(v) && typeof v.id === 'string' ? v.id : '?'));
  for (const r of runs) {
    if (r.status === 'running') {
      r.status = 'stopped';
      r.message = 'interrupted (page closed); resume continues from the last epoch';
    }
  }
  return { runs: runs.sort((a, b) => a.created.localeCompare(b.created)), damaged };
};
