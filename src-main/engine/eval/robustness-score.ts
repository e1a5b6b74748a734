/**
 * One number per model for a whole degradation curve, as OpenVNA's toolkit scores robustness:
 * the trapezoid area under the metric-vs-missing-rate curve ("absolute robustness"), here
 * normalised by the span of rates so it reads in the metric's own units (the curve's mean
 * level: 0.0-0.9 spans 0.9, not OpenVNA's 1.0), and the "effective robustness", the metric at
 * rate 0 minus that level (how much the model loses on average as data goes missing; for MAE,
 * where lower is better, it is negative when the model degrades).
 */
import type { Metrics, RobustnessScore } from '#contract/eval';
import { METRIC_KEYS } from './metrics';

/** Normalised area under y(x) by the trapezoid rule; null when fewer than two finite points. */
export function normalisedArea(x: readonly number[], y: readonly (number | null)[]): number | null {
  const pts = x.map((xi, i) => [xi, y[i]] as const).filter((p): p is readonly [number, number] => p[1] !== null && Number.isFinite(p[1]));
  if (pts.length < 2) return null;
  pts.sort((p, q) => p[0] - q[0]);
  let area = 0;
  for (let i = 1; i < pts.length; i++) area += ((pts[i][0] - pts[i - 1][0]) * (pts[i][1] + pts[i - 1][1])) / 2;
  const span = pts[pts.length - 1][0] - pts[0][0];
  return span > 0 ? area / span : null;
}

/** The robustness score of every metric from a report's per-rate metrics (keys "0.0".."0.9"). */
export function robustnessScore(rates: Record<string, Metrics>): RobustnessScore {
  const keys = Object.keys(rates).sort((a, b) => Number(a) - Number(b));
  const x = keys.map(Number);
  const out = {} as RobustnessScore;
  for (const metric of METRIC_KEYS) {
    const y = keys.map((k) => rates[k][metric]);
    const level = normalisedArea(x, y);
    const first = x[0] === 0 ? y[0] : null;
    out[metric] = { area: level, effective: level === null || first === null ? null : first - level };
  }
  return out;
}
