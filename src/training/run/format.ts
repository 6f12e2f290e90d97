/** How numbers are shown to a user, defined once for the CLI and the Train tab. */

/** A learning rate (or any hyperparameter): 4 significant digits, no trailing zeros (`9.719e+5`, `0.01`). */
export const formatLr = (v: number): string => {
  const s = v.toPrecision(4);
  return s.includes('.') ? s.replace(/\.?0+(?=e|$)/, '') : s;
};

/** A loss: 3 decimals while it is below 10⁵, then 3 significant digits with an exponent. */
export const formatLoss = (v: number): string =>
  Number.isFinite(v) && Math.abs(v) < 1e5 ? v.toFixed(3) : v.toExponential(2);

/** An epoch as the user counts it: the first is epoch 1 (logs count from 0). */
export const shownEpoch = (epoch: number): number => epoch + 1;
