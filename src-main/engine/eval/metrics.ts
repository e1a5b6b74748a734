/**
 * MMSA's regression metrics for MOSI/MOSEI (metricsTop.py, __eval_mosei_regression), at full
 * precision: no rounding of the results. Every undefined or non-finite result is null.
 */
import type { Metrics } from '#contract/eval';
import { DarError } from '../errors';

export type { Metrics };

/** The metric names in MMSA's order; reports and `dar metrics --json` list them so. */
export const METRIC_KEYS = [
  'Has0_acc_2',
  'Has0_F1_score',
  'Non0_acc_2',
  'Non0_F1_score',
  'Mult_acc_5',
  'Mult_acc_7',
  'MAE',
  'Corr',
] as const satisfies readonly (keyof Metrics)[];

/** numpy's round: to the nearest integer, ties to even (-0.5 -> -0, 2.5 -> 2); NaN stays NaN. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff < 0.5) return f;
  if (diff > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

function clip(x: number, bound: number): number {
  return Math.min(Math.max(x, -bound), bound);
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** mean(round(clip(p)) == round(clip(y))) with clip to [-bound, bound]. */
function multiclassAcc(p: ArrayLike<number>, y: ArrayLike<number>, bound: number): number {
  let hits = 0;
  for (let i = 0; i < y.length; i++) {
    if (roundHalfEven(clip(p[i], bound)) === roundHalfEven(clip(y[i], bound))) hits++;
  }
  return hits / y.length;
}

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

function isConstant(x: ArrayLike<number>): boolean {
  for (let i = 1; i < x.length; i++) if (x[i] !== x[0]) return false;
  return true;
}

/** Pearson r with np.corrcoef's steps (cov / std / std, clipped to [-1, 1]); null when undefined. */
export function pearson(p: ArrayLike<number>, y: ArrayLike<number>): number | null {
  const n = y.length;
  if (n < 2 || isConstant(p) || isConstant(y)) return null;
  const mp = mean(p);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dp = p[i] - mp;
    const dy = y[i] - my;
    sxy += dp * dy;
    sxx += dp * dp;
    syy += dy * dy;
  }
  const r = sxy / (n - 1) / Math.sqrt(sxx / (n - 1)) / Math.sqrt(syy / (n - 1));
  return finiteOrNull(Math.min(Math.max(r, -1), 1));
}

/** Binary accuracy and sklearn's weighted F1 (zero_division = 0) of two boolean class lists. */
function binaryScores(truth: readonly boolean[], pred: readonly boolean[]): { acc: number; f1: number } {
  const n = truth.length;
  let hits = 0;
  const tp = [0, 0];
  const support = [0, 0];
  const predicted = [0, 0];
  for (let i = 0; i < n; i++) {
    const t = truth[i] ? 1 : 0;
    const q = pred[i] ? 1 : 0;
    support[t]++;
    predicted[q]++;
    if (t === q) {
      hits++;
      tp[t]++;
    }
  }
  // Labels are the classes present in truth or prediction, in sorted order (false, true).
  let num = 0;
  let den = 0;
  for (const c of [0, 1]) {
    if (support[c] + predicted[c] === 0) continue;
    num += ((2 * tp[c]) / (support[c] + predicted[c])) * support[c];
    den += support[c];
  }
  return { acc: hits / n, f1: den > 0 ? num / den : 0 };
}

/** The eight MMSA metrics of predictions against labels (same length). */
export function computeMetrics(pred: ArrayLike<number>, label: ArrayLike<number>): Metrics {
  if (pred.length !== label.length) {
    throw new DarError('ARG_INVALID', `metrics: expected as many predictions as labels (${label.length}), got ${pred.length}`);
  }
  const n = label.length;
  if (n === 0) {
    return { Has0_acc_2: null, Has0_F1_score: null, Non0_acc_2: null, Non0_F1_score: null, Mult_acc_5: null, Mult_acc_7: null, MAE: null, Corr: null };
  }
  let absErr = 0;
  for (let i = 0; i < n; i++) absErr += Math.abs(pred[i] - label[i]);
  const has0 = binaryScores(
    Array.from(label, (y) => y >= 0),
    Array.from(pred, (p) => p >= 0),
  );
  // `!= 0` as numpy: -0.0 is dropped, NaN labels stay.
  const nonZero = Array.from({ length: n }, (_, i) => i).filter((i) => label[i] !== 0);
  const non0 =
    nonZero.length > 0
      ? binaryScores(
          nonZero.map((i) => label[i] > 0),
          nonZero.map((i) => pred[i] > 0),
        )
      : null;
  return {
    Has0_acc_2: finiteOrNull(has0.acc),
    Has0_F1_score: finiteOrNull(has0.f1),
    Non0_acc_2: non0 ? finiteOrNull(non0.acc) : null,
    Non0_F1_score: non0 ? finiteOrNull(non0.f1) : null,
    Mult_acc_5: finiteOrNull(multiclassAcc(pred, label, 2)),
    Mult_acc_7: finiteOrNull(multiclassAcc(pred, label, 3)),
    MAE: finiteOrNull(absErr / n),
    Corr: pearson(pred, label),
  };
}
