/**
 * Plain-JS reference math (float64, row-major number arrays) that the model's tests compare the
 * tensor code against; deliberately naive and independent of tfjs. Not used by the product.
 */

/** [M, K] x [K, N] */
export function refMatMul(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): number[] {
  const out = new Array<number>(m * n).fill(0);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) out[i * n + j] += a[i * k + p] * b[p * n + j];
  return out;
}

/** erf by its Maclaurin series (|x| <= 5; |error| < 1e-9), +-1 beyond. */
export function refErf(x: number): number {
  if (Math.abs(x) > 5) return Math.sign(x);
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-17) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/** Exact GELU 0.5 x (1 + erf(x / sqrt 2)). */
export function refGelu(x: number): number {
  return 0.5 * x * (1 + refErf(x / Math.SQRT2));
}

/** LayerNorm of each row of [rows, d] (eps 1e-5). */
export function refLayerNorm(x: ArrayLike<number>, gamma: ArrayLike<number>, beta: ArrayLike<number>, d: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < x.length / d; r++) {
    const row = Array.from({ length: d }, (_, c) => x[r * d + c]);
    const mean = row.reduce((s, v) => s + v, 0) / d;
    const v = row.reduce((s, y) => s + (y - mean) ** 2, 0) / d;
    row.forEach((y, c) => out.push(((y - mean) / Math.sqrt(v + 1e-5)) * gamma[c] + beta[c]));
  }
  return out;
}

/** x W + b for rows of [rows, dIn]. */
export function refLinear(x: ArrayLike<number>, w: ArrayLike<number>, b: ArrayLike<number>, dIn: number, dOut: number): number[] {
  const y = refMatMul(x, w, x.length / dIn, dIn, dOut);
  return y.map((v, i) => v + b[i % dOut]);
}

/** Kernel-3 'same' zero-padded convolution of one clip [T, dIn] (frames >= len are zero). */
export function refConv3(x: ArrayLike<number>, len: number, kernel: ArrayLike<number>, bias: ArrayLike<number>, dIn: number, dOut: number): number[] {
  const T = x.length / dIn;
  const out = new Array<number>(T * dOut).fill(0);
  for (let i = 0; i < T; i++) {
    for (let o = 0; o < dOut; o++) {
      let s = bias[o];
      for (let k = 0; k < 3; k++) {
        const f = i + k - 1;
        if (f < 0 || f >= len) continue;
        for (let c = 0; c < dIn; c++) s += x[f * dIn + c] * kernel[(k * dIn + c) * dOut + o];
      }
      out[i * dOut + o] = s;
    }
  }
  return out;
}

/** Softmax of one row. */
export function refSoftmax(row: number[]): number[] {
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** Largest |a - b| over two arrays of equal length. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
