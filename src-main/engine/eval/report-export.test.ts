import { describe, expect, it } from 'vitest';
import type { Metrics, RobustnessReport } from '#contract/eval';
import { toErrorInfo } from '../errors';
import { METRIC_KEYS } from './metrics';
import { CSV_COLUMNS, parseRobustnessReport, robustnessCsv, robustnessMarkdown } from './report-export';
import { reportToMarkdown } from './robustness';
import { robustnessScore } from './robustness-score';

const metrics = (base: number): Metrics => ({
  Has0_acc_2: base + 0.1,
  Has0_F1_score: base + 0.2 / 3,
  Non0_acc_2: base + 0.05,
  Non0_F1_score: base + 1 / 7,
  Mult_acc_5: base / 3,
  Mult_acc_7: base / 9,
  MAE: 1.2345678901234567 - base,
  Corr: base > 0.5 ? null : base * Math.PI,
});

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  return null;
}

const REPORT: RobustnessReport = {
  rates: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [(i / 10).toFixed(1), metrics(0.7 - i * 0.05)])),
  mean: metrics(0.45),
  removed: { l: metrics(0.2), a: metrics(0.6), v: metrics(0.61) },
  meta: { n: 40, split: 'test', models: 1, seeds: [1111] },
};

describe('robustnessCsv', () => {
  it('writes one row per condition with rate, removed modality and the 8 metrics at full precision', () => {
    const lines = robustnessCsv(REPORT).trimEnd().split('\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(1 + 10 + 1 + 3);
    const cells = lines.map((l) => l.split(','));
    expect(cells[1].slice(0, 3)).toEqual(['missing 0.0', '0.0', '']);
    expect(cells[11].slice(0, 3)).toEqual(['mean 0.0-0.9', '', '']);
    expect(cells[12].slice(0, 3)).toEqual(['no language', '', 'l']);
    expect(cells[14].slice(0, 3)).toEqual(['no visual', '', 'v']);
    // Every number parses back to the exact double; null is an empty cell.
    METRIC_KEYS.forEach((k, j) => {
      const want = REPORT.rates['0.3'][k];
      expect(cells[4][3 + j]).toBe(want === null ? '' : String(want));
      if (want !== null) expect(Number(cells[4][3 + j])).toBe(want);
    });
    expect(cells[13][3 + METRIC_KEYS.indexOf('Corr')]).toBe('');
  });
});

describe('robustnessMarkdown', () => {
  it('is dar eval’s table', () => {
    expect(robustnessMarkdown(REPORT)).toBe(`${reportToMarkdown(REPORT)}\n`);
  });
});

describe('parseRobustnessReport', () => {
  it('passes a report through unchanged and names the bad field of a broken one', () => {
    expect(parseRobustnessReport(JSON.parse(JSON.stringify(REPORT)))).toEqual({ ...REPORT, score: robustnessScore(REPORT.rates) });
    const broken = { ...REPORT, removed: { ...REPORT.removed, a: { ...REPORT.removed.a, MAE: 'x' } } };
    const err = toErrorInfo(thrown(() => parseRobustnessReport(broken)));
    expect(err.code).toBe('ARG_INVALID');
    expect(err.message).toMatch(/removed\.a\.MAE/);
  });

  it('recomputes the robustness score from the rates: an old report gets one, a forged one is replaced', () => {
    const forged = { ...REPORT, score: robustnessScore({ '0.0': REPORT.rates['0.0'], '0.9': REPORT.rates['0.0'] }) };
    const parsed = parseRobustnessReport(JSON.parse(JSON.stringify(forged)));
    expect(parsed.score).toEqual(robustnessScore(REPORT.rates));
    expect(parsed.score!.Has0_acc_2.area).toBeLessThan(REPORT.rates['0.0'].Has0_acc_2!);
  });

  it('keeps the prediction drift of a newer report and checks it', () => {
    const stats = (mean: number) => ({ mean, sd: 0.5, positive: 0.6 });
    const withDrift: RobustnessReport = {
      ...REPORT,
      predictions: { label: stats(0.06), rates: Object.fromEntries(Object.keys(REPORT.rates).map((k, i) => [k, stats(i / 10)])), removed: { l: stats(0.1), a: stats(0.2), v: stats(0.7) }, all: stats(0.72) },
    };
    expect(parseRobustnessReport(JSON.parse(JSON.stringify(withDrift)))).toEqual({ ...withDrift, score: robustnessScore(REPORT.rates) });
    const err = toErrorInfo(thrown(() => parseRobustnessReport({ ...withDrift, predictions: { ...withDrift.predictions, all: { mean: null, sd: 0, positive: 0 } } })));
    expect(err.code).toBe('ARG_INVALID');
    expect(err.message).toMatch(/predictions\.all\.mean/);
  });
});
