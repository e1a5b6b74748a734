/**
 * UMAP (McInnes, Healy & Melville 2018) for the feature-space view, on umap-js (MIT, the PAIR
 * team's port of umap-learn) rather than our own exact UMAP, whose O(n² d) neighbour search
 * grows with the square of the points. umap-js finds neighbours approximately (random-projection
 * forest + NN-descent, as umap-learn does), so its cost grows about linearly; the optimisation
 * (200 epochs of negative sampling) is the same algorithm in both. Measured with
 * bench/umap-bench.ts (d = 128): umap-js takes 25-40 % more CPU up to ~2,000 points (its
 * sparse-matrix bookkeeping), breaks even at a few thousand and wins from there on (1.1-1.4x
 * less CPU at 6,000, and no quadratic term for MOSEI-sized spaces); same neighbourhood quality.
 *
 * Two things we add around it, on purpose: every random draw (forest, NN-descent, negative
 * sampling) comes from our seeded generator, so the same input and seed always give the same
 * map; and the layout starts from PCA (umap-learn starts from a spectral layout, umap-js from
 * uniform noise), so the map keeps the global arrangement of the PCA view instead of an
 * arbitrary one.
 */
import { UMAP } from 'umap-js';
import { createRng } from '../rng';
import { pca2 } from './projection';

/** Options of {@link umap2}. */
export interface UmapOptions {
  /** Neighbourhood size [15]. */
  neighbors?: number;
  /** Optimisation epochs [200]. */
  epochs?: number;
  /** Seed of every random draw [42]. */
  seed?: number;
}

/** Rows of a row-major [n, d] matrix as the arrays umap-js takes. */
function rows(x: ArrayLike<number>, n: number, d: number): number[][] {
  const out: number[][] = new Array<number[]>(n);
  for (let i = 0; i < n; i++) {
    const row = new Array<number>(d);
    for (let q = 0; q < d; q++) row[q] = x[i * d + q];
    out[i] = row;
  }
  return out;
}

/**
 * Overwrites umap-js's uniform-noise start with PCA coordinates scaled into [-10, 10] (the
 * range umap-js draws from). getEmbedding() returns the very array the optimiser moves, so this
 * must run after initializeFit and before the first step.
 */
function startFromPca(embedding: number[][], x: ArrayLike<number>, n: number, d: number): void {
  const p = pca2(x, n, d);
  let max = 0;
  for (let i = 0; i < n; i++) max = Math.max(max, Math.abs(p.x[i]), Math.abs(p.y[i]));
  const scale = max > 0 ? 10 / max : 1;
  for (let i = 0; i < n; i++) {
    embedding[i][0] = p.x[i] * scale;
    // A tiny index-based offset separates exact duplicates, which would otherwise never move apart.
    embedding[i][1] = p.y[i] * scale + 1e-4 * ((i * 0.6180339887498949) % 1);
  }
}

/** Embeds n points of dimension d ([n, d] row-major) in 2-D with UMAP. */
export function umap2(x: ArrayLike<number>, n: number, d: number, options: UmapOptions = {}): { x: Float32Array; y: Float32Array } {
  if (n < 3) {
    const p = pca2(x, n, d);
    return { x: p.x, y: p.y };
  }
  const epochs = options.epochs ?? 200;
  const rng = createRng(options.seed ?? 42, 0x55a9);
  const umap = new UMAP({
    nComponents: 2,
    // umap-js needs more points than neighbours.
    nNeighbors: Math.min(options.neighbors ?? 15, n - 1),
    nEpochs: epochs,
    minDist: 0.1,
    spread: 1,
    random: rng.next,
  });
  umap.initializeFit(rows(x, n, d));
  const embedding = umap.getEmbedding();
  startFromPca(embedding, x, n, d);
  for (let epoch = 0; epoch < epochs; epoch++) umap.step();
  return { x: Float32Array.from(embedding, (p) => p[0]), y: Float32Array.from(embedding, (p) => p[1]) };
}
