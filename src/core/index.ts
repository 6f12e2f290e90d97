/**
 * What every side shares: the seeded random numbers, the CSV writer and the tfjs backend names.
 * Imports nothing from the other folders, no tfjs, no DOM, no Node modules, so the sheet, the
 * trainer, the settings, the pages and the CLI can all use it.
 */
export type { Rng } from './rng.ts';
export { mulberry32 } from './rng.ts';
export type { CsvCell } from './csv.ts';
export { toCsv } from './csv.ts';
export { closest, didYouMean, editDistance } from './closest.ts';
export type { BackendChoice, BackendSetting, NodeBackend } from './backends.ts';
export {
  BACKEND_SETTINGS,
  BROWSER_BACKENDS,
  microBatchFor,
  NODE_BACKENDS,
  wholeBatchNorm,
} from './backends.ts';
