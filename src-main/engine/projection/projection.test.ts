import { describe, expect, it } from 'vitest';
import { pca2, powerIteration } from './projection';

/** Rows of an [n, d] matrix as one Float32Array. */
const rows = (xs: number[][]): Float32Array => Float32Array.from(xs.flat());

// Four points on two perpendicular segments: variances 4.5 and 0.5 along the axes u and w.
const u = [0.6, 0.8, 0];
const w = [-0.8, 0.6, 0];
const centre = [1, 2, 3];
const at = (a: number, b: number): number[] => centre.map((c, k) => c + a * u[k] + b * w[k]);
const POINTS = [at(3, 0), at(-3, 0), at(0, 1), at(0, -1)];

describe('pca2', () => {
  it('finds the known axes, coordinates and variance shares of a hand-made example', () => {
    const p = pca2(rows(POINTS), 4, 3);
    // u's largest loading (0.8) is positive: kept; w's (-0.8) is negative: flipped.
    expect(Array.from(p.axes[0]).map((v) => +v.toFixed(6))).toEqual([0.6, 0.8, 0]);
    expect(Array.from(p.axes[1]).map((v) => +v.toFixed(6))).toEqual([0.8, -0.6, 0]);
    [3, -3, 0, 0].forEach((v, i) => expect(p.x[i]).toBeCloseTo(v, 5));
    [0, 0, -1, 1].forEach((v, i) => expect(p.y[i]).toBeCloseTo(v, 5));
    expect(p.variances[0]).toBeCloseTo(4.5, 6);
    expect(p.variances[1]).toBeCloseTo(0.5, 6);
    expect(p.explained[0]).toBeCloseTo(0.9, 6);
    expect(p.explained[1]).toBeCloseTo(0.1, 6);
  });

  it('gives the same picture through the Gram matrix when there are fewer points than dimensions', () => {
    const wide = POINTS.map((r) => [...r, 0.5, -2]); // d = 5 > n = 4
    const p = pca2(rows(wide), 4, 5);
    const q = pca2(rows(POINTS), 4, 3);
    for (let i = 0; i < 4; i++) {
      expect(p.x[i]).toBeCloseTo(q.x[i], 5);
      expect(p.y[i]).toBeCloseTo(q.y[i], 5);
    }
    expect(p.explained[0]).toBeCloseTo(0.9, 6);
  });

  it('is deterministic: the same input gives bit-identical coordinates', () => {
    const data = Float32Array.from({ length: 60 * 7 }, (_, i) => Math.sin(i * 1.7) + (i % 7) * 0.3 * Math.cos(i));
    const a = pca2(data, 60, 7);
    const b = pca2(data.slice(), 60, 7);
    expect(b.x).toEqual(a.x);
    expect(b.y).toEqual(a.y);
    expect(a.variances[0]).toBeGreaterThanOrEqual(a.variances[1]);
  });

  it('answers points that do not vary with zeros, never NaN', () => {
    const p = pca2(rows([[1, 2], [1, 2], [1, 2]]), 3, 2);
    expect(Array.from(p.x)).toEqual([0, 0, 0]);
    expect(Array.from(p.y)).toEqual([0, 0, 0]);
    expect(p.explained).toEqual([0, 0]);
  });
});

describe('powerIteration', () => {
  it('finds the dominant eigenpair, then the next one orthogonal to it', () => {
    const m = Float64Array.from([2, 1, 1, 2]);
    const first = powerIteration(m, 2);
    expect(first.value).toBeCloseTo(3, 10);
    expect(Math.abs(first.vector[0])).toBeCloseTo(Math.SQRT1_2, 10);
    const second = powerIteration(m, 2, [first.vector]);
    expect(second.value).toBeCloseTo(1, 10);
    expect(first.vector[0] * second.vector[0] + first.vector[1] * second.vector[1]).toBeCloseTo(0, 10);
  });
});
