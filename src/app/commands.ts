import type { Steps } from '../sheet/index.ts';
import { checkRuns, InputError, passTable } from '../sheet/index.ts';
import { toCsv } from '../core/index.ts';
import { byId } from './dom.ts';
import { download } from './download.ts';
import { runsOf } from './link-state.ts';
import type { SheetPage } from './page.ts';
import { noted } from './perform.ts';

/** Epochs one press of Run does, as the workbook's macro. */
const RUN_EPOCHS = 5;

/** The buttons above the grid: Reset, Run ×5, Compare all, the exports and Copy link. */
export const bindCommands = (page: SheetPage): void => {
  const { session, say } = page;

  function* resetSteps(name: string): Steps {
    yield { what: `resetting ${name}`, done: 0, total: 1 };
    page.workbook().reset(name);
  }

  function* compareAll(): Steps {
    for (const name of page.workbook().sheets()) {
      yield* resetSteps(name);
      yield* page.workbook().runSteps(name, RUN_EPOCHS);
    }
  }

  byId('reset').addEventListener('click', () => {
    const sheet = session.sheet;
    if (page.refuseWhileBusy() || !page.workbook().isOptimizer(sheet)) return;
    page.act(
      'resetting',
      noted(resetSteps(sheet), () =>
        page.workbook().def(sheet).source === undefined
          ? `${sheet}: reset (a = b = 1, optimizer state warmed up)`
          : `${sheet}: reset (a = b = 1, state from the rule's state lines)`,
      ),
    );
  });

  byId('run').addEventListener('click', () => {
    if (page.refuseWhileBusy() || !page.workbook().isOptimizer(session.sheet)) return;
    const name = session.sheet;
    const w = page.workbook();
    try {
      checkRuns(runsOf(w), w.rows, { sheet: name, epochs: RUN_EPOCHS });
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      say(err.message, 'error');
      return;
    }
    page.act(
      'running',
      noted(w.runSteps(name, RUN_EPOCHS), () => {
        const last = w.history(name).at(-1);
        return `${name}: ${RUN_EPOCHS} epochs run; rmse ${last ? last.rmse.toPrecision(6) : '?'}`;
      }),
    );
  });

  byId('run-all').addEventListener('click', () => {
    if (page.refuseWhileBusy()) return;
    page.act(
      'comparing',
      noted(
        compareAll(),
        () => 'every optimizer reset and run 5 epochs: compare them in the charts',
      ),
    );
  });

  byId('export-csv').addEventListener('click', () => {
    const sheet = session.sheet;
    download(
      new Blob([toCsv(passTable(page.workbook(), sheet))], { type: 'text/csv' }),
      `${sheet}.csv`,
    );
    say(
      `${sheet}.csv downloaded: ${page.workbook().isOptimizer(sheet) ? 'the rows of the current pass' : 'x and y'}, as the CLI's --csv writes them`,
    );
  });

  byId('export-xlsx').addEventListener('click', () => {
    void import('../sheet/xlsx.ts')
      .then(async ({ toXlsx }) => {
        download(
          new Blob([await toXlsx(page.workbook())], {
            type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          }),
          'graddesc.xlsx',
        );
        say('graddesc.xlsx downloaded: every sheet with live formulas');
      })
      .catch((err: unknown) => {
        say(`XLSX export failed: ${(err as Error).message}`, 'error');
      });
  });

  byId('copy-link').addEventListener('click', () => {
    navigator.clipboard.writeText(location.href).then(
      () => {
        say('link copied: it reproduces this workbook');
      },
      () => {
        say(`copy this link: ${location.href}`);
      },
    );
  });
};
