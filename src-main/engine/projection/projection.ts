/**
 * Principal component analysis down to two axes, for the feature-space view: centre the
 * points, take the covariance matrix (or the Gram matrix when there are fewer points than
 * dimensions), find its top two eigenvectors by power iteration with deflation, and fix their
 * signs so the same input always draws the same picture. Float64 throughout; no randomness.
 */

/** A 2-D PCA of n points. */
export interface Pca2 {
  /** Coordinates on the first and second principal axis. */
  x: Float32Array;
  y: Float32Array;
  /** The two unit axes in feature space, each of length d (zeros when there is no variance left). */
  axes: [Float64Array, Float64Array];
  /** Variance along each axis (population, divided by n). */
  variances: [number, number];
  /** Share of the total variance on each axis (0 when the points do not vary). */
  explained: [number, number];
}

const MAX_ITERATIONS = 3000;
const TOLERANCE = 1e-12;

/** Centres the rows of an [n, d] row-major matrix; returns the centred copy. */
export function centreRows(data: ArrayLike<number>, n: number, d: number): Float64Array {
  const out = Float64Array.from({ length: n * d }, (_, i) => data[i]);
  for (let k = 0; k < d; k++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += out[i * d + k];
    const mean = n ? s / n : 0;
    for (let i = 0; i < n; i++) out[i * d + k] -= mean;
  }
  return out;
}

/** Aᵀ A / n of an [n, d] matrix: the covariance of centred rows ([d, d]). */
function covariance(x: Float64Array, n: number, d: number): Float64Array {
  const c = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    for (let a = 0; a < d; a++) {
      const xa = x[row + a];
      if (xa === 0) continue;
      for (let b = a; b < d; b++) c[a * d + b] += xa * x[row + b];
    }
  }
  for (let a = 0; a < d; a++) for (let b = a; b < d; b++) c[b * d + a] = c[a * d + b] /= n;
  return c;
}

/** A Aᵀ / n of an [n, d] matrix ([n, n]). */
function gram(x: Float64Array, n: number, d: number): Float64Array {
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += x[i * d + k] * x[j * d + k];
      g[i * n + j] = g[j * n + i] = s / n;
    }
  }
  return g;
}

const dot = (a: Float64Array, b: Float64Array): number => a.reduce((s, v, i) => s + v * b[i], 0);

function normalise(v: Float64Array): number {
  const norm = Math.sqrt(dot(v, v));
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] /= norm;
  return norm;
}

function removeComponents(v: Float64Array, basis: readonly Float64Array[]): void {
  for (const b of basis) {
    const p = dot(v, b);
    for (let i = 0; i < v.length; i++) v[i] -= p * b[i];
  }
}

/**
 * The dominant eigenpair of a symmetric positive semi-definite [m, m] matrix, orthogonal to
 * `found` (deflation by projection, re-applied every iteration so rounding cannot bring the
 * found directions back). The start vector is fixed and irregular, so no eigenvector of a
 * structured matrix is orthogonal to it by accident.
 */
export function powerIteration(a: Float64Array, m: number, found: readonly Float64Array[] = []): { vector: Float64Array; value: number } {
  let v = Float64Array.from({ length: m }, (_, i) => 1 + ((i * 0.6180339887498949) % 1));
  removeComponents(v, found);
  if (normalise(v) === 0) return { vector: new Float64Array(m), value: 0 };
  let value = 0;
  for (let it = 0; it < MAX_ITERATIONS; it++) {
    const w = new Float64Array(m);
    for (let r = 0; r < m; r++) {
      let s = 0;
      for (let c = 0; c < m; c++) s += a[r * m + c] * v[c];
      w[r] = s;
    }
    removeComponents(w, found);
    value = dot(v, w);
    if (normalise(w) === 0) return { vector: new Float64Array(m), value: 0 };
    // The sign may flip between iterations only for negative eigenvalues, which a PSD matrix lacks.
    let change = 0;
    for (let i = 0; i < m; i++) change = Math.max(change, Math.abs(w[i] - v[i]));
    v = w;
    if (change < TOLERANCE) break;
  }
  return { vector: v, value: Math.max(0, value) };
}

/** Flips an axis so its largest-magnitude loading is positive (the first such on ties). */
export function fixSign(axis: Float64Array): void {
  let best = 0;
  for (let i = 1; i < axis.length; i++) if (Math.abs(axis[i]) > Math.abs(axis[best]) + 1e-12) best = i;
  if (axis[best] < 0) for (let i = 0; i < axis.length; i++) axis[i] = -axis[i];
}

/** The feature-space axes of the top two components. */
function topAxes(x: Float64Array, n: number, d: number): { axes: Float64Array[]; values: number[] } {
  if (d <= n) {
    const c = covariance(x, n, d);
    const first = powerIteration(c, d);
    const second = powerIteration(c, d, first.value > 0 ? [first.vector] : []);
    return { axes: [first.vector, second.value > 0 ? second.vector : new Float64Array(d)], values: [first.value, second.value] };
  }
  // Fewer points than dimensions: eigenvectors u of X Xᵀ / n give the axes Xᵀ u / |Xᵀ u|.
  const g = gram(x, n, d);
  const us = [powerIteration(g, n)];
  us.push(powerIteration(g, n, us[0].value > 0 ? [us[0].vector] : []));
  const axes = us.map(({ vector: u, value }) => {
    const axis = new Float64Array(d);
    if (value <= 0) return axis;
    for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) axis[k] += u[i] * x[i * d + k];
    normalise(axis);
    return axis;
  });
  return { axes, values: us.map((u) => u.value) };
}

/** Projects n points of dimension d ([n, d] row-major) onto their top two principal axes. */
export function pca2(data: ArrayLike<number>, n: number, d: number): Pca2 {
  const x = centreRows(data, n, d);
  const { axes, values } = topAxes(x, n, d);
  for (const axis of axes) fixSign(axis);
  const coords = axes.map((axis) => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += x[i * d + k] * axis[k];
      out[i] = s;
    }
    return out;
  });
  let total = 0;
  for (let i = 0; i < x.length; i++) total += x[i] * x[i];
  total /= Math.max(n, 1);
  const share = (v: number): number => (total > 0 ? Math.min(1, v / total) : 0);
  return { x: coords[0], y: coords[1], axes: [axes[0], axes[1]], variances: [values[0], values[1]], explained: [share(values[0]), share(values[1])] };
}
