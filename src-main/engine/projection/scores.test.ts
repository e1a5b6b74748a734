import { describe, expect, it } from 'vitest';
import type { PerModality } from '#contract/dataset';
import { createRng } from '../rng';
import { decouplingScores, evenIndices, silhouette } from './scores';

describe('silhouette', () => {
  it('matches the hand-computed value of two 1-D clusters', () => {
    const s = silhouette([0, 1, 10, 11], 4, 1, [7, 7, 3, 3]);
    expect(s).toBeCloseTo((9.5 / 10.5 + 8.5 / 9.5) / 2, 12);
  });

  it('measures angles with the cosine metric: scale does not matter, direction does', () => {
    // Two directions, each at two very different lengths: perfectly separated by angle.
    expect(silhouette([1, 0, 100, 0, 0, 1, 0, 50], 4, 2, [0, 0, 1, 1], 'cosine')).toBeCloseTo(1, 12);
    expect(silhouette([1, 0, 100, 0, 0, 1, 0, 50], 4, 2, [0, 0, 1, 1])!).toBeLessThan(0.5);
  });

  it('is null for one cluster and counts a lone point as 0', () => {
    expect(silhouette([0, 1, 2], 3, 1, [0, 0, 0])).toBeNull();
    // The two zeros sit on each other far from 5 (s = 1 each); 5 is alone in its cluster (s = 0).
    const s = silhouette([0, 0, 5], 3, 1, [1, 1, 2])!;
    expect(s).toBeCloseTo((1 + 1 + 0) / 3, 12);
  });
});

describe('decouplingScores', () => {
  it('scores decoupled features high by modality (specific) and by clip (common), low for common by modality', () => {
    const n = 40;
    const d = 6;
    const rng = createRng(5);
    const clipVec = Array.from({ length: n * d }, () => 3 * rng.normal());
    const make = (f: (mi: number, i: number, k: number) => number): PerModality<Float32Array> => {
      const out = {} as PerModality<Float32Array>;
      (['l', 'a', 'v'] as const).forEach((m, mi) => (out[m] = Float32Array.from({ length: n * d }, (_, j) => f(mi, Math.floor(j / d), j % d))));
      return out;
    };
    const common = make((_mi, i, k) => clipVec[i * d + k] + 0.1 * rng.normal());
    const specific = make((mi, _i, k) => (k === mi ? 10 : 0) + rng.normal());
    const s = decouplingScores(common, specific, n, d);
    expect(s.clips).toBe(40);
    expect(s.specificByModality!).toBeGreaterThan(0.6);
    expect(s.commonByClip!).toBeGreaterThan(0.8);
    expect(s.commonByModality!).toBeLessThan(0.1);
  });

  it('spreads a capped clip subset evenly', () => {
    expect(evenIndices(10, 4)).toEqual([0, 2, 5, 7]);
    expect(evenIndices(3, 5)).toEqual([0, 1, 2]);
  });
});
