/** Edits (insert, delete, replace a character) that turn `a` into `b`: Levenshtein's distance. */
export const editDistance = (a: string, b: string): number => {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row.push(
        Math.min(
          (prev[j] ?? 0) + 1,
          (row[j - 1] ?? 0) + 1,
          (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
        ),
      );
    prev = row;
  }
  return prev[b.length] ?? 0;
};

/**
 * The candidate a typo most likely meant: the nearest by edit distance, ignoring case, if it is
 * within 2 edits and a third of the word; null when none is that near (or two are equally near).
 */
export const closest = (word: string, candidates: readonly string[]): string | null => {
  const limit = Math.min(2, Math.ceil(word.length / 3));
  let best: string | null = null;
  let bestD = Infinity;
  let tie = false;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD, tie] = [c, d, false];
    else if (d === bestD) tie = true;
  }
  return best !== null && best !== word && bestD <= limit && !tie ? best : null;
};

/** ` (did you mean X?)` for a typo of one of `candidates`, else ''. */
export const didYouMean = (word: string, candidates: readonly string[], prefix = ''): string => {
  const c = closest(word, candidates);
  return c === null ? '' : ` (did you mean ${prefix}${c}?)`;
};
