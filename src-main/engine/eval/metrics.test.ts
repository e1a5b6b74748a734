import { describe, it, expect } from 'vitest';
import { METRIC_KEYS, computeMetrics, roundHalfEven } from './metrics';
import type { Metrics } from './metrics';
import fixture from '../../../testing/engine/eval/mmsa-metrics.json';

interface Case {
  name: string;
  pred: (number | null)[];
  label: (number | null)[];
  expected: Record<string, number | null>;
}

const nanFromNull = (xs: (number | null)[]): number[] => xs.map((x) => (x === null ? Number.NaN : x));

describe('MMSA metrics', () => {
  it('lists the eight metric keys in MMSA order', () => {
    expect([...METRIC_KEYS]).toEqual(['Has0_acc_2', 'Has0_F1_score', 'Non0_acc_2', 'Non0_F1_score', 'Mult_acc_5', 'Mult_acc_7', 'MAE', 'Corr']);
  });

  it('rounds half to even like numpy', () => {
    const table: [number, number][] = [[-2.5, -2], [-1.5, -2], [-0.5, 0], [0.5, 0], [1.5, 2], [2.5, 2], [0.49999999999999994, 0], [-2.6, -3], [2.4, 2]];
    for (const [x, r] of table) expect(roundHalfEven(x)).toBe(r);
    expect(roundHalfEven(Number.NaN)).toBeNaN();
  });

  for (const c of (fixture as { cases: Case[] }).cases) {
    it(`matches the numpy reference: ${c.name}`, () => {
      const got: Metrics = computeMetrics(nanFromNull(c.pred), nanFromNull(c.label));
      expect(Object.keys(got)).toEqual([...METRIC_KEYS]);
      for (const key of METRIC_KEYS) {
        const want = c.expected[key];
        if (want === null) expect(got[key], key).toBeNull();
        else {
          expect(got[key], key).not.toBeNull();
          expect(Math.abs((got[key] as number) - want), key).toBeLessThanOrEqual(1e-9);
        }
      }
    });
  }

  it('accepts typed arrays', () => {
    const m = computeMetrics(new Float32Array([0.5, -1.5, 2]), new Float32Array([1, -1, 2]));
    expect(m.Mult_acc_7).toBeCloseTo(1 / 3, 12);
    expect(m.Has0_acc_2).toBe(1);
  });

  it('rejects predictions and labels of different lengths', () => {
    expect(() => computeMetrics([1, 2], [1])).toThrow(/as many predictions as labels \(1\), got 2/);
  });
});
