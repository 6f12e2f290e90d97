/** The median of `xs`: the middle value, or the mean of the two middle ones (NaN when empty). */
export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length / 2;
  return s.length % 2 ? (s[Math.floor(m)] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
};

/** Milliseconds of each of `rounds` timed calls of `f`, after `warmup` untimed ones; `onCall` sees each. */
export const timeCalls = async (
  f: () => Promise<void>,
  rounds: number,
  warmup = 2,
  onCall?: (ms: number, timed: boolean) => void,
): Promise<number[]> => {
  const ts: number[] = [];
  for (let i = 0; i < warmup + rounds; i++) {
    const t0 = performance.now();
    await f();
    const ms = performance.now() - t0;
    if (i >= warmup) ts.push(ms);
    onCall?.(ms, i >= warmup);
  }
  return ts;
};

/** Images per second of a step over `bs` images, from the median of its timed calls. */
export const imagesPerSecond = (bs: number, ms: readonly number[]): number =>
  (bs / median(ms)) * 1000;
