/**
 * Linear probes of a demo corpus: time-averaged features per modality and closed-form ridge
 * regression on them. The tests use these to show that the generator's structure is there
 * (each modality predicts the label, together they predict it better, and the shared factor
 * is readable from every modality); a trained DAR model has to do at least this well.
 */
import type { Modality } from '#contract/dataset';
import { DEMO_DIMS } from './demo-model';
import type { DemoClip } from './demo-corpus';

/** Per-clip mean of a modality's valid frames, [n, d] row-major as plain rows. */
export function meanFeatures(clips: readonly DemoClip[], m: Modality): number[][] {
  const d = DEMO_DIMS[m];
  return clips.map((c) => {
    const x = c.features[m];
    const t = c.features.lengths[m];
    const row = new Array<number>(d).fill(0);
    for (let i = 0; i < t; i++) for (let k = 0; k < d; k++) row[k] += x[i * d + k] / t;
    return row;
  });
}

/** Solves the symmetric positive definite system A x = b (Cholesky); A is n x n. */
function solveSpd(A: number[][], b: number[]): number[] {
  const n = b.length;
  const L = A.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      L[i][j] = i === j ? Math.sqrt(s) : s / L[j][j];
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i][k] * y[k];
    y[i] = s / L[i][i];
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= L[k][i] * x[k];
    x[i] = s / L[i][i];
  }
  return x;
}

/** A fitted linear predictor on feature blocks shaped like the training blocks. */
export type Predictor = (blocks: number[][][]) => number[];

/** Standardises each feature with the training stats and weights each block by 1/sqrt(its width). */
function blockScaler(blocks: number[][][]): (rowsPerBlock: number[][][], i: number) => number[] {
  const stats = blocks.map((X) => {
    const n = X.length;
    const d = X[0].length;
    const mean = new Array<number>(d).fill(0);
    const varc = new Array<number>(d).fill(0);
    for (const r of X) r.forEach((v, k) => (mean[k] += v / n));
    for (const r of X) r.forEach((v, k) => (varc[k] += (v - mean[k]) ** 2 / n));
    // Equal total weight per block, so 768 text dims do not drown 5 acoustic ones.
    const scale = varc.map((s) => (s > 1e-12 ? 1 / Math.sqrt(s * d) : 0));
    return { mean, scale };
  });
  return (rowsPerBlock, i) => rowsPerBlock.flatMap((X, b) => X[i].map((v, k) => (v - stats[b].mean[k]) * stats[b].scale[k]));
}

/**
 * Ridge regression in its dual form (an n x n solve, cheap when dims exceed samples) on
 * standardised features, each block (modality) weighted equally; `lambda` per block.
 */
export function fitRidge(blocks: number[][][], y: number[], lambda = 1): Predictor {
  const n = y.length;
  const scaleRow = blockScaler(blocks);
  const Z = y.map((_, i) => scaleRow(blocks, i));
  const yMean = y.reduce((s, v) => s + v, 0) / n;
  const ridge = lambda * blocks.length;
  const gram = Z.map((a, i) => Z.map((b, j) => a.reduce((s, v, k) => s + v * b[k], 0) + (i === j ? ridge : 0)));
  const alpha = solveSpd(gram, y.map((v) => v - yMean));
  const w = new Array<number>(Z[0].length).fill(0);
  Z.forEach((r, i) => r.forEach((v, k) => (w[k] += alpha[i] * v)));
  return (test) => test[0].map((_, i) => scaleRow(test, i).reduce((s, v, k) => s + v * w[k], yMean));
}

/** Pearson correlation of two equally long series. */
export function pearson(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}
