export type CsvCell = string | number | boolean | null | undefined | { readonly value?: unknown };

const field = (v: CsvCell): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    const inner = (v as { value?: unknown }).value;
    return field(typeof inner === 'string' ? inner : '#ERROR');
  }
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** RFC 4180 text, numbers at full precision (shortest round-trip form). */
export const toCsv = (rows: readonly (readonly CsvCell[])[]): string =>
  rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
