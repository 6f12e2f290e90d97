import type { Callback } from '../learner.ts';
import { formatLoss, shownEpoch } from '../../run/format.ts';
import { Eta } from './eta.ts';
import type { EpochLog } from './metrics.ts';
import { metricsOf } from './metrics.ts';

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

/** The per-epoch table as miniai prints it: accuracy, loss, epoch (from 1), train. */
export const formatLog = (log: EpochLog): string =>
  [
    log.accuracy.toFixed(3).padStart(8),
    formatLoss(log.loss).padStart(8),
    String(shownEpoch(log.epoch)).padStart(5),
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
  const eta = new Eta();
  let printed = 0;
  return {
    name: 'progress',
    order: 1,
    beforeFit(l) {
      eta.begin(l);
      printed = 0;
      write(LOG_HEADER);
    },
    afterBatch(l) {
      const { fraction, elapsed, eta: left } = eta.tick();
      if (!bar) return;
      const width = 30;
      const filled = Math.round(width * fraction);
      bar(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(100 * fraction)}% ` +
          `epoch ${l.epoch + 1}/${l.nEpochs} ${l.training ? 'train' : 'eval '} loss ${formatLoss(l.lossValue)} ` +
          `${fmtTime(elapsed)} < ${fmtTime(left)}  `,
      );
    },
    afterEpoch(l) {
      const logs = metricsOf(l)?.logs ?? [];
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
