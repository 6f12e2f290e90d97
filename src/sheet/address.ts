/** A 0-based cell position, as HyperFormula numbers them. */
export interface Cell {
  readonly row: number;
  readonly col: number;
}

export const colLetter = (col: number): string => {
  let s = '';
  for (let c = col + 1; c > 0; c = Math.floor((c - 1) / 26))
    s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
};

/** `C4`, or `$C$4` when absolute. */
export const a1 = ({ row, col }: Cell, absolute = false): string =>
  absolute ? `$${colLetter(col)}$${row + 1}` : `${colLetter(col)}${row + 1}`;

export const cell = (address: string): Cell => {
  const m = /^\$?([A-Z]+)\$?(\d+)$/.exec(address);
  if (!m?.[1] || !m[2]) throw new Error(`bad cell address ${address}`);
  let col = 0;
  for (const ch of m[1]) col = col * 26 + ch.charCodeAt(0) - 64;
  return { row: Number(m[2]) - 1, col: col - 1 };
};
