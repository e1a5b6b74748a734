import { describe, expect, it } from 'vitest';
import type { Metrics } from '#contract/eval';
import { normalisedArea, robustnessScore } from './robustness-score';
import { METRIC_KEYS } from './metrics';

function metrics(value: (key: string) => number | null): Metrics {
  return Object.fromEntries(METRIC_KEYS.map((k) => [k, value(k)])) as unknown as Metrics;
}

describe('robustness score (OpenVNA: area under metric vs missing rate)', () => {
  it('is the trapezoid area divided by the span of rates', () => {
    // a straight line from 0.8 at 0.0 to 0.5 at 0.9: its mean level is 0.65
    expect(normalisedArea([0, 0.3, 0.6, 0.9], [0.8, 0.7, 0.6, 0.5])).toBeCloseTo(0.65, 12);
    // endpoints count half: [1, 0, 0] over 0, 0.5, 1 has area 0.25, not the mean 1/3
    expect(normalisedArea([0, 0.5, 1], [1, 0, 0])).toBeCloseTo(0.25, 12);
    // order of the points does not matter
    expect(normalisedArea([0.9, 0, 0.6, 0.3], [0.5, 0.8, 0.6, 0.7])).toBeCloseTo(0.65, 12);
  });

  it('skips undefined points and gives null below two', () => {
    expect(normalisedArea([0, 0.5, 1], [1, null, 0])).toBeCloseTo(0.5, 12);
    expect(normalisedArea([0, 0.5], [1, null])).toBeNull();
    expect(normalisedArea([0, 0.5], [NaN, 2])).toBeNull();
  });

  it('scores every metric of a report: a flat curve loses nothing, a falling one loses its drop', () => {
    const rates: Record<string, Metrics> = {};
    for (let i = 0; i <= 9; i++) {
      const r = i / 10;
      rates[r.toFixed(1)] = metrics((k) => (k === 'Corr' ? null : k === 'MAE' ? 1 + r : 0.8));
    }
    const score = robustnessScore(rates);
    expect(score.Has0_acc_2.area).toBeCloseTo(0.8, 12);
    expect(score.Has0_acc_2.effective).toBeCloseTo(0, 12);
    // MAE rises linearly from 1.0 to 1.9: level 1.45, effective 1.0 - 1.45
    expect(score.MAE.area).toBeCloseTo(1.45, 12);
    expect(score.MAE.effective).toBeCloseTo(-0.45, 12);
    expect(score.Corr).toEqual({ area: null, effective: null });
  });

  it('ranks a model that holds up above one that breaks, though both start equal', () => {
    const curve = (drop: number): Record<string, Metrics> =>
      Object.fromEntries([0, 0.3, 0.6, 0.9].map((r) => [r.toFixed(1), metrics(() => 0.8 - drop * r)]));
    const holds = robustnessScore(curve(0.1)).Non0_acc_2.area!;
    const breaks = robustnessScore(curve(0.3)).Non0_acc_2.area!;
    expect(holds).toBeGreaterThan(breaks);
  });
});
