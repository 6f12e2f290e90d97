import type { Ops } from './ops.ts';

/**
 * Where ε goes in an adaptive rule's denominator. The formulations disagree:
 * - `none`: `√v` (the workbook: no ε at all)
 * - `outside`: `√v + ε` (PyTorch Adam/RMSProp, miniai's RMSProp)
 * - `inside`: `√(v + ε)` (miniai's Adam)
 */
export type EpsPlacement = 'none' | 'outside' | 'inside';

/** The adaptive denominator for one squared-gradient average `v`. */
export const rootDenominator = <T>(
  o: Ops<T>,
  v: T,
  placement: EpsPlacement,
  eps: T | undefined,
): T => {
  if (placement === 'none' || eps === undefined) return o.fn('sqrt', v);
  if (placement === 'inside') return o.fn('sqrt', o.add(v, eps));
  return o.add(o.fn('sqrt', v), eps);
};
