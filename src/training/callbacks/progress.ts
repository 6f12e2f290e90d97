import type { Callback } from '../learner.ts';
import type { EpochLog } from './metrics.ts';

export interface ProgressOptions {
  /** Where the per-epoch table goes (stdout). */
  readonly write: (line: string) => void;
  /** Where the live bar goes, redrawn in place (a TTY's stderr), or null for none. */
  readonly bar?: ((text: string) => void) | null;
}

const fmtTime = (s: number): string =>
  s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
    : `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;

/** The per-epoch table as miniai prints it: accuracy, loss, epoch, train. */
export const formatLog = (log: EpochLog): string =>
  [
    log.accuracy.toFixed(3).padStart(8),
    log.loss.toFixed(3).padStart(8),
    String(log.epoch).padStart(5),
    log.train.padStart(5),
    `${log.seconds.toFixed(1)}s`.padStart(8),
  ].join(' ');

export const LOG_HEADER = ['accuracy', 'loss', 'epoch', 'train', 'time']
  .map((h, i) => h.padStart([8, 8, 5, 5, 8][i] ?? 8))
  .join(' ');

/**
 * miniai's ProgressCB in a terminal: a progress bar with the current loss and ETA, and the
 * per-epoch table (it reads the metrics callback's logs, so it runs after it).
 */
export const progressCallback = ({ write, bar = null }: ProgressOptions): Callback => {
  let start = 0;
  let done = 0;
  let total = 1;
  let printed = 0;
  return {
    name: 'progress',
    order: 1,
    beforeFit(l) {
      start = performance.now();
      done = 0;
      printed = 0;
      total = Math.max(1, l.nEpochs * (l.dls.train.length + l.dls.valid.length));
      write(LOG_HEADER);
    },
    afterBatch(l) {
      done++;
      if (!bar) return;
      const elapsed = (performance.now() - start) / 1000;
      const eta = (elapsed / done) * (total - done);
      const width = 30;
      const filled = Math.round((width * done) / total);
      bar(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round((100 * done) / total)}% ` +
          `epoch ${l.epoch + 1}/${l.nEpochs} ${l.training ? 'train' : 'eval '} loss ${l.lossValue.toFixed(3)} ` +
          `${fmtTime(elapsed)} < ${fmtTime(eta)}  `,
      );
    },
    afterEpoch(l) {
      const metrics = l.cbs.find((c) => c.name === 'metrics') as { logs?: EpochLog[] } | undefined;
      const logs = metrics?.logs ?? [];
      if (bar) bar('\r\x1b[K');
      for (; printed < logs.length; printed++) {
        const log = logs[printed];
        if (log) write(formatLog(log));
      }
    },
    cleanupFit() {
      if (bar) bar('\r\x1b[K');
    },
  };
};
