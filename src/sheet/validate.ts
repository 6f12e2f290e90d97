import { InputError } from './errors.ts';
import type { HyperKey } from './sheets.ts';

/** Parses what the user typed as a finite number, or says why not. Accepts `1e-4`, ` 0.5 `, `-3`. */
export const parseNumber = (text: string | number, what: string): number => {
  if (typeof text === 'number') {
    if (Number.isFinite(text)) return text;
    throw new InputError(`${what} must be a finite number, got ${text}`);
  }
  const t = text.trim();
  if (t === '') throw new InputError(`${what} cannot be empty`);
  const v = Number(t);
  if (!Number.isFinite(v)) throw new InputError(`${what} must be a number; '${text}' is not one`);
  return v;
};

/** Learning rates are positive; betas lie in [0, 1). */
export const checkHyper = (key: HyperKey, value: number): number => {
  if (key === 'lr' && !(value > 0)) {
    throw new InputError(`the learning rate must be greater than 0, got ${value}`);
  }
  if ((key === 'beta1' || key === 'beta2') && !(value >= 0 && value < 1)) {
    throw new InputError(`${key} must be in [0, 1), got ${value}`);
  }
  return value;
};

export const parseHyper = (key: HyperKey, text: string | number): number =>
  checkHyper(key, parseNumber(text, key === 'lr' ? 'the learning rate' : key));
