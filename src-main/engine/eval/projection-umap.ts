/**
 * A small, exact UMAP (McInnes, Healy & Melville 2018) for the feature-space view's few
 * thousand points, following umap-learn's reference algorithm: exact k-nearest neighbours,
 * smooth kNN distances (rho, sigma by binary search to log2 k), fuzzy union of the directed
 * graph, then SGD on the attractive/repulsive cross-entropy with negative sampling. Differences
 * from umap-learn, on purpose: PCA initialisation instead of the spectral one (no sparse
 * eigensolver here), min_dist fixed at 0.1 with its fitted curve constants, and a seeded
 * generator so the same input always gives the same map. O(n² d) for the neighbours: about
 * 2 s for 1,800 points of d = 128 and 13 s for 6,000; not meant for more.
 */
import { createRng } from '../rng';
import { pca2 } from './projection';

/** Options of {@link umap2}. */
export interface UmapOptions {
  /** Neighbourhood size [15]. */
  neighbors?: number;
  /** Optimisation epochs [200]. */
  epochs?: number;
  /** Seed of the negative sampling [42]. */
  seed?: number;
}

// umap-learn's find_ab_params(spread = 1, min_dist = 0.1): the curve 1 / (1 + a d^(2b)).
const A = 1.576943460405378;
const B = 0.8950608781227859;
const NEGATIVE_RATE = 5;
const SMOOTH_ITERATIONS = 64;

/** Exact k nearest neighbours (self excluded) by Euclidean distance, nearest first. */
export function nearestNeighbors(x: ArrayLike<number>, n: number, d: number, k: number): { index: Int32Array; dist: Float64Array } {
  const index = new Int32Array(n * k).fill(-1);
  const dist = new Float64Array(n * k).fill(Infinity);
  for (let i = 0; i < n; i++) {
    const row = i * k;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let s = 0;
      for (let q = 0; q < d; q++) {
        const diff = x[i * d + q] - x[j * d + q];
        s += diff * diff;
      }
      const dd = Math.sqrt(s);
      if (dd >= dist[row + k - 1]) continue;
      let p = k - 1;
      // Insertion into the sorted row; ties keep the lower index first (j grows).
      while (p > 0 && dist[row + p - 1] > dd) {
        dist[row + p] = dist[row + p - 1];
        index[row + p] = index[row + p - 1];
        p--;
      }
      dist[row + p] = dd;
      index[row + p] = j;
    }
  }
  return { index, dist };
}

/** Per point: rho (distance to the nearest neighbour) and sigma with sum exp(-(d - rho)/sigma) = log2 k. */
function smoothKnn(dist: Float64Array, n: number, k: number): { rho: Float64Array; sigma: Float64Array } {
  const target = Math.log2(k);
  const rho = new Float64Array(n);
  const sigma = new Float64Array(n);
  let meanAll = 0;
  for (let i = 0; i < n * k; i++) meanAll += dist[i] / (n * k);
  for (let i = 0; i < n; i++) {
    const row = dist.subarray(i * k, (i + 1) * k);
    rho[i] = row.find((v) => v > 0) ?? 0;
    let lo = 0;
    let hi = Infinity;
    let mid = 1;
    for (let it = 0; it < SMOOTH_ITERATIONS; it++) {
      let psum = 0;
      for (const v of row) psum += Math.exp(-Math.max(0, v - rho[i]) / mid);
      if (Math.abs(psum - target) < 1e-5) break;
      if (psum > target) hi = mid;
      else lo = mid;
      mid = hi === Infinity ? mid * 2 : (lo + hi) / 2;
    }
    const meanRow = row.reduce((s, v) => s + v, 0) / k;
    // umap-learn's floor (MIN_K_DIST_SCALE = 1e-3) keeps sigma from collapsing on duplicates.
    sigma[i] = Math.max(mid, 1e-3 * (rho[i] > 0 ? meanRow : meanAll));
  }
  return { rho, sigma };
}

/** The symmetric fuzzy graph as a list of directed edges (both directions) with weights. */
function fuzzyGraph(x: ArrayLike<number>, n: number, d: number, k: number): { from: Int32Array; to: Int32Array; weight: Float64Array } {
  const { index, dist } = nearestNeighbors(x, n, d, k);
  const { rho, sigma } = smoothKnn(dist, n, k);
  const directed = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    for (let q = 0; q < k; q++) {
      const j = index[i * k + q];
      if (j >= 0) directed.set(i * n + j, Math.exp(-Math.max(0, dist[i * k + q] - rho[i]) / sigma[i]));
    }
  }
  const from: number[] = [];
  const to: number[] = [];
  const weight: number[] = [];
  for (const [key, w] of [...directed].sort((p, q) => p[0] - q[0])) {
    const i = Math.floor(key / n);
    const j = key % n;
    const back = directed.get(j * n + i) ?? 0;
    // Fuzzy union; an edge present both ways is emitted by each direction.
    from.push(i);
    to.push(j);
    weight.push(w + back - w * back);
    if (back === 0) {
      from.push(j);
      to.push(i);
      weight.push(w);
    }
  }
  return { from: Int32Array.from(from), to: Int32Array.from(to), weight: Float64Array.from(weight) };
}

const clip4 = (v: number): number => (v > 4 ? 4 : v < -4 ? -4 : v);

/** PCA coordinates scaled into [-10, 10], umap-learn's range for its initial layout. */
function initialLayout(x: ArrayLike<number>, n: number, d: number): Float64Array {
  const p = pca2(x, n, d);
  const y = new Float64Array(2 * n);
  let max = 0;
  for (let i = 0; i < n; i++) max = Math.max(max, Math.abs(p.x[i]), Math.abs(p.y[i]));
  const scale = max > 0 ? 10 / max : 1;
  for (let i = 0; i < n; i++) {
    y[2 * i] = p.x[i] * scale;
    // A tiny index-based offset separates exact duplicates, which would otherwise never move apart.
    y[2 * i + 1] = p.y[i] * scale + 1e-4 * ((i * 0.6180339887498949) % 1);
  }
  return y;
}

/** Embeds n points of dimension d ([n, d] row-major) in 2-D with UMAP. */
export function umap2(x: ArrayLike<number>, n: number, d: number, options: UmapOptions = {}): { x: Float32Array; y: Float32Array } {
  if (n < 3) {
    const p = pca2(x, n, d);
    return { x: p.x, y: p.y };
  }
  const k = Math.min(options.neighbors ?? 15, n - 1);
  const epochs = options.epochs ?? 200;
  const graph = fuzzyGraph(x, n, d, k);
  const y = initialLayout(x, n, d);
  optimise(y, n, graph, epochs, createRng(options.seed ?? 42, 0x55a9));
  return { x: Float32Array.from({ length: n }, (_, i) => y[2 * i]), y: Float32Array.from({ length: n }, (_, i) => y[2 * i + 1]) };
}

/** umap-learn's optimize_layout_euclidean with move_other, 2-D. */
function optimise(y: Float64Array, n: number, g: ReturnType<typeof fuzzyGraph>, epochs: number, rng: ReturnType<typeof createRng>): void {
  const maxW = g.weight.reduce((m, w) => Math.max(m, w), 0);
  const perSample = Float64Array.from(g.weight, (w) => (w > 0 && w >= maxW / epochs ? maxW / w : -1));
  const perNegative = Float64Array.from(perSample, (e) => e / NEGATIVE_RATE);
  const nextSample = Float64Array.from(perSample);
  const nextNegative = Float64Array.from(perNegative);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const alpha = 1 - epoch / epochs;
    for (let e = 0; e < perSample.length; e++) {
      if (perSample[e] <= 0 || nextSample[e] > epoch) continue;
      const i = g.from[e];
      const j = g.to[e];
      attract(y, i, j, alpha);
      nextSample[e] += perSample[e];
      const negatives = Math.floor((epoch - nextNegative[e]) / perNegative[e]);
      for (let s = 0; s < negatives; s++) {
        const other = rng.int(n);
        if (other !== i) repel(y, i, other, alpha);
      }
      nextNegative[e] += Math.max(0, negatives) * perNegative[e];
    }
  }
}

function attract(y: Float64Array, i: number, j: number, alpha: number): void {
  const dx = y[2 * i] - y[2 * j];
  const dy = y[2 * i + 1] - y[2 * j + 1];
  const d2 = dx * dx + dy * dy;
  if (d2 <= 0) return;
  const coeff = (-2 * A * B * Math.pow(d2, B - 1)) / (1 + A * Math.pow(d2, B));
  const gx = clip4(coeff * dx) * alpha;
  const gy = clip4(coeff * dy) * alpha;
  y[2 * i] += gx;
  y[2 * i + 1] += gy;
  y[2 * j] -= gx;
  y[2 * j + 1] -= gy;
}

function repel(y: Float64Array, i: number, k: number, alpha: number): void {
  const dx = y[2 * i] - y[2 * k];
  const dy = y[2 * i + 1] - y[2 * k + 1];
  const d2 = dx * dx + dy * dy;
  if (d2 <= 0) return;
  const coeff = (2 * B) / ((0.001 + d2) * (1 + A * Math.pow(d2, B)));
  y[2 * i] += clip4(coeff * dx) * alpha;
  y[2 * i + 1] += clip4(coeff * dy) * alpha;
}
