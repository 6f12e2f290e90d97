/**
 * How much one workbook may hold. Every place that takes rows or runs (the data form, a paste,
 * a link, the CLI) checks against these, so whatever is accepted also fits in a link and
 * comes back on reload.
 */

/**
 * Data rows. At 1,000 rows a hyperparameter edit recomputes in about 60–100 ms with all five
 * sheets built (bench/sheet.json): past that, every edit would freeze the page.
 */
export const MAX_ROWS = 1000;

/** Run epochs per sheet since its Reset, whatever the row count. */
export const MAX_RUNS = 500;

/** Rows × run epochs per sheet: replaying a link's runs stays under about half a minute a sheet. */
export const MAX_ROW_EPOCHS = 100_000;

/** The most run epochs a sheet may hold with `rows` data rows. */
export const runLimit = (rows: number): number =>
  Math.min(MAX_RUNS, Math.floor(MAX_ROW_EPOCHS / rows));

/** The largest magnitude a typed value may have: its square still fits in a double. */
export const MAX_MAGNITUDE = 1e150;
