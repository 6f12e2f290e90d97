import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/index.ts';

const draws = (n: number, f: () => number): number[] => Array.from({ length: n }, f);

describe('mulberry32', () => {
  it('gives the same numbers for the same seed, and others for another', () => {
    const five = (seed: number): number[] => {
      const rng = mulberry32(seed);
      return draws(5, () => rng.next());
    };
    expect(five(42)).toEqual(five(42));
    expect(five(43)).not.toEqual(five(42));
  });

  it('next() is uniform in [0, 1)', () => {
    const rng = mulberry32(1);
    const xs = draws(20_000, () => rng.next());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01); // sd of the mean: 0.29/√20000 = 0.002
  });

  it('int(lo, hi) includes both ends, like RANDBETWEEN', () => {
    const rng = mulberry32(7);
    const seen = new Set(draws(2_000, () => rng.int(-2, 3)));
    expect([...seen].sort((p, q) => p - q)).toEqual([-2, -1, 0, 1, 2, 3]);
  });

  it('normal() has mean 0 and standard deviation 1', () => {
    const rng = mulberry32(5);
    const zs = draws(20_000, () => rng.normal());
    const mean = zs.reduce((s, z) => s + z, 0) / zs.length;
    const sd = Math.sqrt(zs.reduce((s, z) => s + (z - mean) ** 2, 0) / zs.length);
    expect(Math.abs(mean)).toBeLessThan(0.03); // sd of the mean: 1/√20000 = 0.007
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
  });
});
