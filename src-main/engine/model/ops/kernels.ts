/**
 * Plain (non-differentiated) tensor helpers that the fused ops (ops.ts, blocks/*-op.ts) build
 * their forward and backward passes from, shaped by the WASM backend's cost model, measured:
 * - 2-D matMul without transpose flags is fast (~30 GFLOP/s); transposeA/B or batched matMul
 *   run 10x slower; a depthwise convolution is the fast way to many small products;
 * - Slice/Split/Unpack/Gather copy their whole input through JS (a 1 MB slice costs ~3 ms):
 *   pieces are taken with a selector matMul instead;
 * - a 2-D Transpose of a tall matrix is slow, the same data as a tiled 4-D Transpose is 5-8x
 *   faster; a rank-5 Transpose is very slow;
 * - erf/exp/tanh are scalar code while mul/add/sigmoid are SIMD.
 */
import * as tf from '@tensorflow/tfjs-core';

// tfjs-backend-wasm (4.22) caches the packed right operand of a 2-D matMul per data buffer and
// does not look at its shape: the same buffer seen under a second shape (a reshape shares the
// buffer) reads the first shape's packing, out of bounds ("memory access out of bounds" or an
// abort). So every matMul here goes through mm(), which copies a right operand whose buffer was
// already used under another shape.
const rightShapes = new WeakMap<object, string>();

function asRight(b: tf.Tensor): tf.Tensor {
  const shape = b.shape.join(',');
  const seen = rightShapes.get(b.dataId);
  if (seen === undefined) rightShapes.set(b.dataId, shape);
  if (seen === undefined || seen === shape) return b;
  const copy = tf.add(b, 0);
  rightShapes.set(copy.dataId, shape);
  return copy;
}

/** a @ b (see rightShapes above). */
export function mm<T extends tf.Tensor = tf.Tensor2D>(a: tf.Tensor, b: tf.Tensor): T {
  return tf.matMul(a, asRight(b)) as T;
}

/** Largest of `tiles` dividing both m and n, or 0. */
function commonTile(m: number, n: number, tiles: number[]): number {
  return tiles.find((t) => m % t === 0 && n % t === 0 && t < m && t < n) ?? 0;
}

/** x^T for a 2-D x: tiled as a 4-D transpose when that is faster (see the header). */
export function tr2(x: tf.Tensor): tf.Tensor2D {
  const [m, n] = x.shape as [number, number];
  if (m >= 512 && n >= 512) return tf.transpose(x) as tf.Tensor2D;
  const tile = commonTile(m, n, m > n ? [64, 32, 16, 8, 4] : [32, 64, 16, 8, 4]);
  if (!tile) return tf.transpose(x) as tf.Tensor2D;
  return tf.reshape(tf.transpose(tf.reshape(x, [m / tile, tile, n / tile, tile]), [2, 3, 0, 1]), [n, m]);
}

/**
 * Column sums of a [N, d] matrix as an average pooling over the N rows times N: ~5x faster on
 * WASM than ones[1, N] @ x (which repacks x) and ~10x faster than tf.sum(x, 0).
 */
export function rowSum(x: tf.Tensor): tf.Tensor1D {
  const [n, d] = x.shape as number[];
  const mean = tf.avgPool(tf.reshape(x, [1, n, 1, d]) as tf.Tensor4D, [n, 1], 1, 'valid');
  return tf.reshape(tf.mul(mean, n), [d]);
}

/** x [N, d_in] @ w + b as one fused kernel. */
export function mmBias(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  const right = asRight(w);
  if (!recording() && DIRECT_BACKENDS.has(tf.getBackend())) return fusedKernel(x, right, b);
  return tf.fused.matMul({ a: x as tf.Tensor2D, b: right as tf.Tensor2D, bias: b }) as tf.Tensor2D;
}

// Backends whose _FusedMatMul kernel reads nothing but dataId, shape and dtype of its inputs.
const DIRECT_BACKENDS = new Set(['wasm', 'cpu']);

/**
 * mmBias without a tape: the _FusedMatMul kernel itself on [1, N, d_in] x [1, d_in, d_out] views
 * of the operands (what tf.fused.matMul passes it), without that op's gradient scope and input
 * reshapes: on a one-clip explain per-op overhead, not arithmetic, is the cost.
 */
function fusedKernel(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  const [m, k] = x.shape as [number, number];
  const n = (w.shape as number[])[1];
  const view = (t: tf.Tensor, shape: number[]): tf.TensorInfo => ({ dataId: t.dataId, shape, dtype: t.dtype });
  const inputs = { a: view(x, [1, m, k]), b: view(w, [1, k, n]), bias: b } as unknown as tf.NamedTensorMap;
  const out = tf.engine().runKernel('_FusedMatMul', inputs, { transposeA: false, transposeB: false, activation: 'linear', leakyreluAlpha: 0 } as unknown as tf.NamedAttrMap) as tf.Tensor;
  return tf.reshape(out, [m, n]);
}

/**
 * x^T dy for x [N, d_in], dy [N, d_out]. The right operand of a matMul gets repacked (~5 ns per
 * value, more than the tiled transpose of the left one), so the narrower of the two goes right.
 */
export function weightGrad(x: tf.Tensor, dy: tf.Tensor): tf.Tensor2D {
  return (dy.shape as number[])[1] <= (x.shape as number[])[1] ? mm(tr2(x), dy) : tr2(mm(tr2(dy), x));
}

/** A row width dividing n (the gather below copies rows of this width). */
function rowWidth(n: number): number {
  if (n <= 1024) return n;
  for (let w = 1024; w > 1; w--) if (n % w === 0) return w;
  return 1;
}

/**
 * tfjs-backend-webgpu's SparseSegment* kernels read their segment ids back synchronously to size
 * the output (zeros in Chromium, a throw in Node), so on WebGPU the row gathers below are slices
 * and segment sums are gather + unsortedSegmentSum, which stay on the GPU.
 */
function onWebGpu(): boolean {
  return tf.getBackend() === 'webgpu';
}

/** sparseSegmentSum(x, idx, seg) with `segments` result rows (max seg + 1), safe on every backend. */
export function segmentSum(x: tf.Tensor, idx: tf.Tensor1D, seg: tf.Tensor1D, segments: number): tf.Tensor {
  if (!onWebGpu()) return tf.sparse.sparseSegmentSum(x, idx, seg);
  return tf.tidy(() => tf.unsortedSegmentSum(tf.gather(x, idx), seg, segments));
}

/**
 * Chunks `at .. at + count` of x seen as [k, rest] (a leading-axis slice), as [count * rest]:
 * a row gather by sparseSegmentSum (C++), which reads only the chunk; tf.slice would copy the
 * whole input through JS and a selector matMul would repack it.
 */
export function takeChunks(x: tf.Tensor, at: number, count: number, k: number): tf.Tensor {
  const rest = x.size / k;
  if (onWebGpu()) return tf.tidy(() => tf.slice(tf.reshape(x, [k, rest]), [at, 0], [count, rest]));
  const w = rowWidth(rest);
  const rows = (count * rest) / w;
  const first = (at * rest) / w;
  const idx = new Int32Array(rows);
  const seg = new Int32Array(rows);
  for (let r = 0; r < rows; r++) [idx[r], seg[r]] = [first + r, r];
  const out = tf.sparse.sparseSegmentSum(tf.reshape(x, [(k * rest) / w, w]), tf.tensor1d(idx, 'int32'), tf.tensor1d(seg, 'int32'));
  return tf.reshape(out, [count, rest]);
}

/** Rows r0 .. r1 - 1 of a [N, d] matrix (a gather, see takeChunks). */
export function takeRows(x: tf.Tensor, r0: number, r1: number): tf.Tensor2D {
  if (onWebGpu()) return tf.slice(x, [r0, 0], [r1 - r0, -1]) as tf.Tensor2D;
  const idx = new Int32Array(r1 - r0);
  const seg = new Int32Array(r1 - r0);
  for (let r = r0; r < r1; r++) [idx[r - r0], seg[r - r0]] = [r, r - r0];
  return tf.sparse.sparseSegmentSum(x, tf.tensor1d(idx, 'int32'), tf.tensor1d(seg, 'int32')) as tf.Tensor2D;
}

/** Row ranges [r0, r1) of at most `size` rows covering 0 .. n - 1. */
export function rowBlocks(n: number, size: number): [number, number][] {
  const count = Math.max(1, Math.ceil(n / size));
  const step = Math.ceil(n / count);
  return Array.from({ length: count }, (_, i) => [i * step, Math.min(n, (i + 1) * step)] as [number, number]);
}

/** The inverse of takeChunks: g [count * rest] placed at chunks `at ..` of a zero [k, rest]. */
export function putChunks(g: tf.Tensor, at: number, count: number, k: number): tf.Tensor2D {
  const rest = g.size / count;
  return tf.reshape(tf.pad(tf.reshape(g, [count, rest]), [[at, k - at - count], [0, 0]]), [k, rest]);
}

/**
 * Splits the last axis of x [N, sum(widths)] into pieces [N, widths[i]] without Slice: the
 * axis is moved to the front (a cheap 3-D transpose) and the pieces taken by selector matMuls.
 */
export function splitColumns(x: tf.Tensor, widths: number[]): tf.Tensor2D[] {
  if (widths.length === 1) return [x as tf.Tensor2D];
  const n = (x.shape as number[])[0];
  const unit = widths.reduce((g, w) => gcd(g, w));
  const k = (x.shape as number[])[1] / unit;
  const front = tf.transpose(tf.reshape(x, [n, k, unit]), [1, 0, 2]);
  let at = 0;
  return widths.map((w) => {
    const count = w / unit;
    const part = takeChunks(front, at / unit, count, k);
    at += w;
    return (count === 1 ? tf.reshape(part, [n, w]) : tf.reshape(tf.transpose(tf.reshape(part, [count, n, unit]), [1, 0, 2]), [n, w])) as tf.Tensor2D;
  });
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** LayerNorm over the last axis of x [N, d]: output and what the backward pass needs. */
export function lnForward(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-5): { y: tf.Tensor2D; xhat: tf.Tensor2D; rstd: tf.Tensor2D } {
  const xc = tf.sub(x, tf.mean(x, -1, true));
  const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(xc), -1, true), eps)) as tf.Tensor2D;
  const xhat = tf.mul(xc, rstd) as tf.Tensor2D;
  return { y: tf.add(tf.mul(xhat, gamma), beta) as tf.Tensor2D, xhat, rstd };
}

/** Gradients of lnForward given dy [N, d]. */
export function lnBackward(dy: tf.Tensor, xhat: tf.Tensor, rstd: tf.Tensor, gamma: tf.Tensor): { dx: tf.Tensor2D; dgamma: tf.Tensor1D; dbeta: tf.Tensor1D } {
  const dxhat = tf.mul(dy, gamma);
  const m1 = tf.mean(dxhat, -1, true);
  const m2 = tf.mean(tf.mul(dxhat, xhat), -1, true);
  const dx = tf.mul(tf.sub(tf.sub(dxhat, m1), tf.mul(xhat, m2)), rstd) as tf.Tensor2D;
  return { dx, dgamma: rowSum(tf.mul(dy, xhat)), dbeta: rowSum(dy) };
}

// GELU: Phi(x) = sigmoid(x P(x^2)) with P fitted to logit(Phi) on [-6, 6] (weighted least squares,
// scripts/fixtures/gelu_fit.py): |error| < 1.3e-7 in float32, as close to the exact erf form as
// tfjs' own erf kernel (Abramowitz-Stegun 7.1.26, 1.5e-7), in SIMD ops instead of scalar erf/exp.
const GELU_P = [1.5957698829688374, 0.07266616889976996, -6.518963655135828e-5, -1.106125368009011e-4, 7.929519339228575e-6, -2.645293496004314e-7, 3.5124223668470123e-9];
const GELU_DP = GELU_P.map((c, k) => (2 * k + 1) * c); // d/dx [x P(x^2)] = sum (2k+1) c_k x^2k
const GELU_CLIP = 6;

function horner(s: tf.Tensor, coefs: number[]): tf.Tensor {
  let p: tf.Tensor = tf.mul(s, coefs[coefs.length - 1]);
  for (let k = coefs.length - 2; k >= 1; k--) p = tf.mul(tf.add(p, coefs[k]), s);
  return tf.add(p, coefs[0]);
}

// Without a tape, a small tensor (one clip's explain) takes Phi from the erf kernel: scalar code on
// WASM, but one kernel instead of the polynomial's fifteen, and per-kernel overhead dominates there.
const ERF_CDF_MAX = 8192;

/** Phi(x) = (1 + erf(x / sqrt 2)) / 2 when cheaper (see ERF_CDF_MAX), else null. */
function smallCdf(x: tf.Tensor): tf.Tensor | null {
  if (x.size > ERF_CDF_MAX || recording()) return null;
  return tf.mul(tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1), 0.5);
}

/** Standard normal CDF Phi(x) and the clipped square it was computed from (for the backward pass only). */
export function cdfParts(x: tf.Tensor): { cdf: tf.Tensor; s: tf.Tensor } {
  const small = smallCdf(x);
  if (small) return { cdf: small, s: small }; // no tape: s is never read
  const xc = tf.clipByValue(x, -GELU_CLIP, GELU_CLIP);
  const s = tf.square(xc);
  return { cdf: tf.sigmoid(tf.mul(xc, horner(s, GELU_P))), s };
}

/** d GELU / dx * dy from x and cdfParts(x): Phi(x) + x phi(x), phi = Phi (1 - Phi) g'(x). */
export function geluBackward(dy: tf.Tensor, x: tf.Tensor, s: tf.Tensor, cdf: tf.Tensor): tf.Tensor {
  const pdf = tf.mul(tf.mul(cdf, tf.sub(1, cdf)), horner(s, GELU_DP));
  return tf.mul(dy, tf.add(cdf, tf.mul(x, pdf)));
}

/** p(s) by Horner's rule, disposing each intermediate at once (for large tensors). */
function hornerLean(s: tf.Tensor, coefs: number[]): tf.Tensor {
  let p = tf.mul(s, coefs[coefs.length - 1]);
  for (let k = coefs.length - 2; k >= 0; k--) {
    const q = tf.add(p, coefs[k]);
    p.dispose();
    if (k === 0) return q;
    p = tf.mul(q, s);
    q.dispose();
  }
  return p;
}

/**
 * GELU of a large tensor and, with `withGrad`, its derivative Phi(x) + x phi(x) (so the backward
 * pass is one multiply and keeps one tensor), with at most ~6 tensors of x's size alive at once.
 */
export function geluLean(x: tf.Tensor, withGrad: boolean): { y: tf.Tensor; grad: tf.Tensor | null } {
  const small = withGrad ? null : smallCdf(x);
  if (small) {
    const y = tf.mul(x, small);
    small.dispose();
    return { y, grad: null };
  }
  const xc = tf.clipByValue(x, -GELU_CLIP, GELU_CLIP);
  const s = tf.square(xc);
  const p = hornerLean(s, GELU_P);
  const g = tf.mul(xc, p);
  tf.dispose([xc, p]);
  const cdf = tf.sigmoid(g);
  g.dispose();
  const y = tf.mul(x, cdf);
  if (!withGrad) {
    tf.dispose([s, cdf]);
    return { y, grad: null };
  }
  const q = hornerLean(s, GELU_DP);
  s.dispose();
  const c2 = tf.square(cdf);
  const cc = tf.sub(cdf, c2); // Phi (1 - Phi)
  c2.dispose();
  const pdf = tf.mul(cc, q);
  tf.dispose([cc, q]);
  const xpdf = tf.mul(x, pdf);
  pdf.dispose();
  const grad = tf.add(cdf, xpdf);
  tf.dispose([cdf, xpdf]);
  return { y, grad };
}

type KernelArgs = { inputs: Record<string, tf.TensorInfo>; backend: { incRef(dataId: object): void } };
let identityShared = false;

/**
 * Makes the WASM backend's Identity (tf.clone) share the input's buffer, as the CPU backend's
 * does: tfjs clones every tensor a gradient keeps for the backward pass, and the stock WASM
 * Identity copies it (hundreds of MB per step here). Buffers are immutable (a variable's assign
 * swaps its buffer), so sharing is safe. Idempotent; does nothing until the WASM backend is loaded.
 */
export function shareIdentityBuffers(): void {
  if (identityShared) return;
  const stock = tf.getKernel('Identity', 'wasm');
  if (!stock) return;
  identityShared = true;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({
    kernelName: 'Identity',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { inputs, backend } = args as unknown as KernelArgs;
      const x = inputs.x;
      if (x.dtype === 'string') return stock.kernelFunc(args);
      backend.incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
}

/** True while a gradient tape records (so a fused op's forward knows whether to prepare its backward). */
export function recording(): boolean {
  return (tf.engine() as unknown as { state: { gradientDepth: number } }).state.gradientDepth > 0;
}

/** tanh as 2 sigmoid(2x) - 1 (tfjs' tanh is scalar code on WASM, sigmoid is SIMD). */
export function fastTanh(x: tf.Tensor): tf.Tensor {
  return tf.sub(tf.mul(tf.sigmoid(tf.mul(x, 2)), 2), 1);
}
