import { describe, expect, it } from 'vitest';
import type { SplitData } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';
import { maskedCount, validLength, type SplitMasks } from '../data/corruption';
import { tinyDataset } from '../../../testing/engine/tiny-dataset';
import { computeMetrics } from './metrics';
import { evaluateRobustness, predictionStats, reportToMarkdown } from './robustness';

const split = tinyDataset({ n: { train: 4, valid: 4, test: 30 }, dims: { l: 3, a: 2, v: 2 }, seqLen: { l: 12, a: 20, v: 16 }, seed: 5 }).splits.test;

/** The share of a clip's valid positions that the masks hide, over all modalities. */
function hidden(s: SplitData, masks: SplitMasks, i: number): number {
  let masked = 0;
  let valid = 0;
  for (const m of MODALITIES) {
    const len = validLength(s, m, i);
    valid += len;
    for (let j = 0; j < len; j++) masked += masks[m][i][j];
  }
  return masked / valid;
}

// A "model" that drifts upward as data goes missing: label * (1 - hidden) + offset * hidden.
const drifting =
  (offset: number) =>
  async (s: SplitData, masks: SplitMasks): Promise<Float32Array> =>
    Float32Array.from(s.labels, (y, i) => y * (1 - hidden(s, masks, i)) + offset * hidden(s, masks, i));

describe('predictionStats', () => {
  it('gives the mean, the population sd and the share >= 0', () => {
    expect(predictionStats([-1, 0, 1, 4])).toEqual({ mean: 1, sd: Math.sqrt(3.5), positive: 0.75 });
  });
});

describe('evaluateRobustness', () => {
  it('reports how the predictions drift as data goes missing, averaged over models, beside the metrics', async () => {
    const progress: number[][] = [];
    const report = await evaluateRobustness(split, [drifting(2), drifting(1)], { splitName: 'test', onProgress: (d, t) => progress.push([d, t]) });
    // 13 conditions and every modality masked, for each of the 2 models.
    expect(progress.at(-1)).toEqual([28, 28]);
    const drift = report.predictions!;
    expect(drift.label).toEqual(predictionStats(split.labels));
    // Nothing is hidden at rate 0: the predictions are the labels.
    expect(drift.rates['0.0'].mean).toBeCloseTo(drift.label.mean, 6);
    expect(report.rates['0.0'].MAE).toBeCloseTo(0, 6);
    // The drift grows with the rate and the two models' offsets average to 1.5.
    const means = Object.values(drift.rates).map((s) => s.mean);
    expect(means[9]).toBeGreaterThan(means[5]);
    expect(means[5]).toBeGreaterThan(means[0]);
    expect(drift.all.mean).toBeGreaterThan(means[9]);
    expect(drift.all.sd).toBeLessThan(drift.rates['0.0'].sd);
    // A removed modality hides its share of each clip: the metrics and the statistics come from the same predictions.
    const noV = removeV(split);
    const [two, one] = [await drifting(2)(split, noV), await drifting(1)(split, noV)];
    expect(drift.removed.v.mean).toBeCloseTo((predictionStats(two).mean + predictionStats(one).mean) / 2, 6);
    expect(report.removed.v.MAE).toBeCloseTo((computeMetrics(two, split.labels).MAE! + computeMetrics(one, split.labels).MAE!) / 2, 6);
    expect(reportToMarkdown(report)).toMatch(/Mean prediction \(labels: [+-]\d\.\d\d, \d+ % >= 0\): [+-]\d\.\d\d at 0\.0, .* at 0\.9; every modality masked \+\d\.\d\d/);
  });
});

function removeV(s: SplitData): SplitMasks {
  const none = (m: 'l' | 'a' | 'v'): Uint8Array[] => Array.from({ length: s.n }, () => new Uint8Array(s[m].t));
  const v = Array.from({ length: s.n }, (_, i) => {
    const row = new Uint8Array(s.v.t);
    row.fill(1, 0, validLength(s, 'v', i));
    return row;
  });
  expect(maskedCount(s, 'v', v).masked).toBe(maskedCount(s, 'v', v).valid);
  return { l: none('l'), a: none('a'), v };
}
