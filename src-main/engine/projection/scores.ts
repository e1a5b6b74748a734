/**
 * How well DAR's features decouple, as numbers the feature-space view can show beside the
 * picture. Each score is a mean silhouette coefficient computed in the full d-dimensional
 * space of time-averaged features (never on the 2-D projection, which distorts distances),
 * with the cosine distance: L_sim compares exactly these time means by cosine similarity.
 */
import type { DecouplingScores } from '#contract/training-methods';
import type { PerModality } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';


/** Clips the scores use at most (silhouettes cost O(points²·d)). */
export const SCORE_MAX_CLIPS = 300;

/** A distance between rows i and j of an [n, d] matrix. */
type Distance = (i: number, j: number) => number;

function euclidean(points: ArrayLike<number>, d: number): Distance {
  return (i, j) => {
    let s = 0;
    for (let q = 0; q < d; q++) {
      const diff = points[i * d + q] - points[j * d + q];
      s += diff * diff;
    }
    return Math.sqrt(s);
  };
}

/** 1 - cos(angle); a zero vector is at distance 1 from everything. */
function cosine(points: ArrayLike<number>, n: number, d: number): Distance {
  const norms = Float64Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let q = 0; q < d; q++) s += points[i * d + q] ** 2;
    return Math.sqrt(s);
  });
  return (i, j) => {
    if (norms[i] === 0 || norms[j] === 0) return 1;
    let s = 0;
    for (let q = 0; q < d; q++) s += points[i * d + q] * points[j * d + q];
    return 1 - s / (norms[i] * norms[j]);
  };
}

/**
 * Mean silhouette of n points ([n, d] row-major) under integer cluster labels: s(i) =
 * (b - a) / max(a, b) with a the mean distance to the rest of i's cluster and b the smallest
 * mean distance to another cluster; s(i) = 0 for a point alone in its cluster (scikit-learn's
 * convention). Null with fewer than two clusters.
 */
export function silhouette(points: ArrayLike<number>, n: number, d: number, labels: ArrayLike<number>, metric: 'euclidean' | 'cosine' = 'euclidean'): number | null {
  const ids = new Map<number, number>();
  const cluster = Int32Array.from({ length: n }, (_, i) => {
    if (!ids.has(labels[i])) ids.set(labels[i], ids.size);
    return ids.get(labels[i])!;
  });
  const k = ids.size;
  if (k < 2 || n < 2) return null;
  const size = new Int32Array(k);
  for (let i = 0; i < n; i++) size[cluster[i]]++;
  const dist = metric === 'cosine' ? cosine(points, n, d) : euclidean(points, d);
  const sums = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    for (let j = 0; j < n; j++) if (j !== i) sums[cluster[j]] += dist(i, j);
    const own = cluster[i];
    if (size[own] < 2) continue;
    const a = sums[own] / (size[own] - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own) b = Math.min(b, sums[c] / size[c]);
    const m = Math.max(a, b);
    total += m > 0 ? (b - a) / m : 0;
  }
  return total / n;
}

/** Stacks the rows of the three modalities' [n, d] matrices (l, a, v) into one [3n, d] matrix. */
function stack(per: PerModality<Float32Array>, rows: readonly number[], d: number): Float32Array {
  const out = new Float32Array(3 * rows.length * d);
  MODALITIES.forEach((m, mi) => rows.forEach((r, q) => out.set(per[m].subarray(r * d, (r + 1) * d), (mi * rows.length + q) * d)));
  return out;
}

/**
 * The decoupling scores of n clips' time-averaged features (per modality [n, d]), cosine distance:
 *  - specificByModality: silhouette of the 3n specific vectors labelled by modality;
 *  - commonByClip: silhouette of the 3n common vectors labelled by clip (clusters of three);
 *  - commonByModality: silhouette of the common vectors labelled by modality.
 * Decoupling works when the first two are high and the last is low. At most
 * SCORE_MAX_CLIPS clips are used, taken evenly over the n.
 */
export function decouplingScores(common: PerModality<Float32Array>, specific: PerModality<Float32Array>, n: number, d: number): DecouplingScores {
  const count = Math.min(n, SCORE_MAX_CLIPS);
  const rows = evenIndices(n, count);
  const byModality = Int32Array.from({ length: 3 * count }, (_, i) => Math.floor(i / count));
  const byClip = Int32Array.from({ length: 3 * count }, (_, i) => i % count);
  const com = stack(common, rows, d);
  return {
    specificByModality: silhouette(stack(specific, rows, d), 3 * count, d, byModality, 'cosine'),
    commonByClip: silhouette(com, 3 * count, d, byClip, 'cosine'),
    commonByModality: silhouette(com, 3 * count, d, byModality, 'cosine'),
    clips: count,
  };
}

/** `count` indices spread evenly over 0..n-1 (all of them when count >= n), ascending. */
export function evenIndices(n: number, count: number): number[] {
  if (count >= n) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: count }, (_, i) => Math.floor((i * n) / count));
}
