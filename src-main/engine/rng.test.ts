import { describe, it, expect } from 'vitest';
import { createRng, createRngFromState, seedState } from './rng';
import type { RngState } from './rng';
import reference from '../../testing/engine/xoshiro-reference.json';

interface RawCase {
  state: number[];
  out: number[];
}
interface SeededCase extends RawCase {
  args: number[];
}

function take(n: number, f: () => number): number[] {
  return Array.from({ length: n }, f);
}

describe('xoshiro128** generator', () => {
  it('reproduces the reference C implementation from a given state', () => {
    for (const c of reference.raw as RawCase[]) {
      const rng = createRngFromState(c.state as unknown as RngState);
      expect(take(c.out.length, rng.nextUint32)).toEqual(c.out);
    }
  });

  it('derives the same state and stream from (seed, ...streams) as the C reference', () => {
    for (const c of reference.seeded as SeededCase[]) {
      const [seed, ...streams] = c.args;
      expect(seedState(seed, ...streams)).toEqual(c.state);
      expect(take(c.out.length, createRng(seed, ...streams).nextUint32)).toEqual(c.out);
    }
  });

  it('gives the same stream for the same seed and different streams otherwise', () => {
    const a = take(32, createRng(7, 3).nextUint32);
    expect(take(32, createRng(7, 3).nextUint32)).toEqual(a);
    const others = [createRng(7), createRng(7, 4), createRng(7, 3, 0), createRng(8, 3), createRng(3, 7)];
    for (const rng of others) expect(take(32, rng.nextUint32)).not.toEqual(a);
  });

  it('rejects seeds that are not safe integers and an all-zero state', () => {
    expect(() => createRng(1.5)).toThrow(/safe integer/);
    expect(() => createRng(1, Number.NaN)).toThrow(/stream 1/);
    expect(() => createRngFromState([0, 0, 0, 0])).toThrow(/all zero/);
  });

  it('draws floats in [0, 1) that fill ten bins evenly (chi-square)', () => {
    const rng = createRng(1111);
    const bins = new Array<number>(10).fill(0);
    const n = 100_000;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      if (!(u >= 0 && u < 1)) outside++;
      else bins[Math.floor(u * 10)]++;
    }
    expect(outside).toBe(0);
    const expected = n / 10;
    const chi2 = bins.reduce((s, b) => s + (b - expected) ** 2 / expected, 0);
    // 9 degrees of freedom: P(chi2 > 40) < 1e-5.
    expect(chi2).toBeLessThan(40);
  });

  it('uses 53 random bits per float (values are not all multiples of 2^-32)', () => {
    const rng = createRng(5);
    const fine = take(100, rng.next).filter((u) => !Number.isInteger(u * 2 ** 32));
    expect(fine.length).toBeGreaterThan(90);
  });

  it('draws normals with mean 0 and variance 1', () => {
    const rng = createRng(1112);
    const n = 100_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.normal();
      s += x;
      s2 += x * x;
    }
    const mean = s / n;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(s2 / n - mean * mean - 1)).toBeLessThan(0.03);
  });

  it('draws unbiased integers in 0..n-1', () => {
    const rng = createRng(3);
    const counts = new Array<number>(3).fill(0);
    for (let i = 0; i < 30_000; i++) counts[rng.int(3)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(rng.int(1)).toBe(0);
    expect(() => rng.int(0)).toThrow(/1 <= n/);
    expect(() => rng.int(2.5)).toThrow(/integer/);
  });

  it('shuffles into a reproducible permutation of the input', () => {
    const a = Array.from({ length: 50 }, (_, i) => i);
    const b = [...a];
    createRng(9).shuffle(a);
    createRng(9).shuffle(b);
    expect(a).toEqual(b);
    expect(a).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
