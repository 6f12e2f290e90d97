import type { Ops } from './ops.ts';
import type { Named } from './rule.ts';

/**
 * The state a fresh optimizer starts from when its rule says nothing else: zero in every slot
 * (momentum's and Adam's averages; the workbook's Reset writes the same zeros before its warm-up).
 */
export const zeros = <S extends string, T>(o: Ops<T>, slots: readonly S[]): Named<S, T> =>
  Object.fromEntries(slots.map((s) => [s, o.lit(0)])) as Record<S, T>;
