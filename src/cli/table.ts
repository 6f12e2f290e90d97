const fmt = (v: number | string): string => {
  if (typeof v === 'string') return v;
  // whole numbers in full (a parameter count) up to a billion; past it as the other large numbers
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(4) : v.toPrecision(6);
};

/** A plain right-aligned text table, as miniai prints its per-epoch metrics. */
export const formatTable = (
  headers: readonly string[],
  rows: readonly (readonly (number | string)[])[],
): string => {
  const cells = [headers.map(String), ...rows.map((r) => r.map(fmt))];
  const widths = headers.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  const text = (c: number): boolean =>
    rows.some((r) => {
      const v = r[c];
      return typeof v === 'string' && !/^[-\d.e+]+$/.test(v);
    });
  return cells
    .map((r) =>
      r.map((v, c) => (text(c) ? v.padEnd(widths[c] ?? 0) : v.padStart(widths[c] ?? 0))).join('  '),
    )
    .join('\n');
};
