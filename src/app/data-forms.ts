import type { DataSpec } from '../sheet/index.ts';
import {
  checkData,
  checkRows,
  checkRuns,
  InputError,
  MAX_ROWS,
  parseNumber,
  parseValue,
  parseXY,
  rowCount,
  workbookData,
} from '../sheet/index.ts';
import { byId, valueOf } from './dom.ts';
import { runsOf } from './link-state.ts';
import type { SheetPage } from './page.ts';
import { noted } from './perform.ts';

/** The Data panel: generated rows, the workbook's own rows, or pasted x,y columns. */
export const bindDataForms = (page: SheetPage): void => {
  const { say } = page;
  for (const el of document.querySelectorAll('.max-rows')) el.textContent = String(MAX_ROWS);
  byId('rows', HTMLInputElement).max = String(MAX_ROWS);

  /** Replaces the data after checking it fits (rows, values, each sheet's runs); says what happened. */
  const changeData = (spec: DataSpec, done: string): void => {
    const w = page.workbook();
    try {
      checkData(spec);
      checkRuns(runsOf(w), rowCount(spec));
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      say(err.message, 'error');
      return;
    }
    page.act(
      'building the sheets',
      noted(w.setDataSteps(spec), () => done),
    );
  };

  byId('data-form').addEventListener('submit', (e) => {
    e.preventDefault();
    if (page.refuseWhileBusy()) return;
    try {
      const rows = checkRows(parseNumber(valueOf('rows'), 'rows'));
      const spec: DataSpec = {
        kind: 'generated',
        seed: Math.trunc(parseNumber(valueOf('seed'), 'seed')),
        rows,
        intercept: parseValue(valueOf('intercept'), 'the true intercept'),
        slope: parseValue(valueOf('slope'), 'the true slope'),
        noise: parseValue(valueOf('noise'), 'noise'),
      };
      changeData(spec, `${rows} rows generated`);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      say(err.message, 'error');
    }
  });

  byId('data-workbook').addEventListener('click', () => {
    if (page.refuseWhileBusy()) return;
    changeData(workbookData, 'the workbook’s 29 rows');
  });

  byId('paste-form').addEventListener('submit', (e) => {
    e.preventDefault();
    if (page.refuseWhileBusy()) return;
    try {
      const xy = parseXY(valueOf('paste'));
      changeData({ kind: 'custom', ...xy }, `${xy.x.length} pasted rows in use`);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      say(err.message, 'error'); // the pasted text stays in the box
    }
  });
};
