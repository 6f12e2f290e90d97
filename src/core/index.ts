/**
 * What every side shares: the seeded random numbers and the CSV writer. Imports nothing from the
 * other folders, no tfjs, no DOM, no Node modules, so the sheet, the trainer, the pages and the CLI
 * can all use it.
 */
export type { Rng } from './rng.ts';
export { mulberry32 } from './rng.ts';
export type { CsvCell } from './csv.ts';
export { toCsv } from './csv.ts';
