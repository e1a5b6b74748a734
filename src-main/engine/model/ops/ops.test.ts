import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../rng';
import { DropoutSites, dropout, dropoutMask, gelu, layerNorm, linear, matMul, normalCdf, stopGradient } from './ops';
import { maxAbsDiff, refErf, refGelu, refLayerNorm, refLinear, refMatMul } from '../../../../testing/engine/model/ops-reference';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function rand(shape: number[], seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, 'float32', seed);
}

/** Transpose of a row-major [r, c] array. */
function tr(a: ArrayLike<number>, r: number, c: number): number[] {
  return Array.from({ length: r * c }, (_, i) => a[(i % r) * c + Math.floor(i / r)]);
}

describe('matMul', () => {
  it('matches the plain product and its gradients dA = dy B^T, dB = A^T dy', () => {
    const a = rand([5, 4], 1);
    const b = rand([4, 3], 2);
    const w = rand([5, 3], 3);
    const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(matMul(x, y), w)))([a, b]);
    const [A, B, W] = [a, b, w].map((t) => t.dataSync());
    expect(maxAbsDiff(matMul(a, b).dataSync(), refMatMul(A, B, 5, 4, 3))).toBeLessThan(1e-5);
    expect(maxAbsDiff(ga.dataSync(), refMatMul(W, tr(B, 4, 3), 5, 3, 4))).toBeLessThan(1e-5);
    expect(maxAbsDiff(gb.dataSync(), refMatMul(tr(A, 5, 4), W, 4, 5, 3))).toBeLessThan(1e-5);
  });

  it('gives the same gradients as tf.matMul, batched and with constant operands', () => {
    const a = rand([2, 5, 4], 4);
    const b = rand([2, 4, 3], 5);
    const w = rand([2, 5, 3], 6);
    const ours = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(matMul(x, y), w)))([a, b]);
    const theirs = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y), w)))([a, b]);
    expect(maxAbsDiff(ours[0].dataSync(), theirs[0].dataSync())).toBeLessThan(1e-5);
    expect(maxAbsDiff(ours[1].dataSync(), theirs[1].dataSync())).toBeLessThan(1e-5);
    const gb = tf.grad((y: tf.Tensor) => tf.sum(tf.mul(matMul(a, y, { constA: true }), w)))(b);
    const ga = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(matMul(x, b, { constB: true }), w)))(a);
    expect(maxAbsDiff(gb.dataSync(), theirs[1].dataSync())).toBeLessThan(1e-5);
    expect(maxAbsDiff(ga.dataSync(), theirs[0].dataSync())).toBeLessThan(1e-5);
  });

  it("registers tf.matMul's gradient for every transpose flag", () => {
    const a = rand([4, 5], 7);
    const b = rand([3, 4], 8);
    const w = rand([5, 3], 9);
    // y = a^T b^T in all four spellings must have the same gradients
    const f1 = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, true, true), w));
    const f2 = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(tf.transpose(x), tf.transpose(y)), w));
    const f3 = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, tf.transpose(y), true, false), w));
    const f4 = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(tf.transpose(x), y, false, true), w));
    const ref = tf.grads(f2)([a, b]);
    for (const f of [f1, f3, f4]) {
      const g = tf.grads(f)([a, b]);
      expect(maxAbsDiff(g[0].dataSync(), ref[0].dataSync())).toBeLessThan(1e-5);
      expect(maxAbsDiff(g[1].dataSync(), ref[1].dataSync())).toBeLessThan(1e-5);
    }
  });
});

describe('linear', () => {
  it('applies x W + b on the last axis of [B, T, d] with the right gradients', () => {
    const x = rand([2, 3, 4], 10);
    const k = rand([4, 5], 11) as tf.Tensor2D;
    const b = rand([5], 12) as tf.Tensor1D;
    const w = rand([2, 3, 5], 13);
    const y = linear(x, k, b);
    expect(y.shape).toEqual([2, 3, 5]);
    const [X, K, Bv, W] = [x, k, b, w].map((t) => t.dataSync());
    expect(maxAbsDiff(y.dataSync(), refLinear(X, K, Bv, 4, 5))).toBeLessThan(1e-5);
    const [gx, gk, gb] = tf.grads((xx: tf.Tensor, kk: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(linear(xx, kk as tf.Tensor2D, bb as tf.Tensor1D), w)))([x, k, b]);
    expect(maxAbsDiff(gx.dataSync(), refMatMul(W, tr(K, 4, 5), 6, 5, 4))).toBeLessThan(1e-5);
    expect(maxAbsDiff(gk.dataSync(), refMatMul(tr(X, 6, 4), W, 4, 6, 5))).toBeLessThan(1e-5);
    const colSums = Array.from({ length: 5 }, (_, o) => Array.from({ length: 6 }, (_, r) => W[r * 5 + o]).reduce((s, v) => s + v, 0));
    expect(maxAbsDiff(gb.dataSync(), colSums)).toBeLessThan(1e-5);
  });

  it('gives the same parameter gradients for data inputs, with or without a given transpose', () => {
    const x = rand([6, 4], 14) as tf.Tensor2D;
    const k = rand([4, 3], 15) as tf.Tensor2D;
    const b = rand([3], 16) as tf.Tensor1D;
    const w = rand([6, 3], 17);
    const loss = (opts: Parameters<typeof linear>[3]) => (kk: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(linear(x, kk as tf.Tensor2D, bb as tf.Tensor1D, opts), w));
    const ref = tf.grads(loss({}))([k, b]);
    for (const opts of [{ constInput: true }, { xT: tf.transpose(x) as tf.Tensor2D }]) {
      const g = tf.grads(loss(opts))([k, b]);
      expect(maxAbsDiff(g[0].dataSync(), ref[0].dataSync())).toBeLessThan(1e-5);
      expect(maxAbsDiff(g[1].dataSync(), ref[1].dataSync())).toBeLessThan(1e-5);
    }
  });
});

describe('layerNorm', () => {
  it('normalises the last axis with epsilon 1e-5 and the gradients of the plain formula', () => {
    const x = tf.mul(rand([2, 3, 6], 18), 3);
    const g = rand([6], 19) as tf.Tensor1D;
    const b = rand([6], 20) as tf.Tensor1D;
    const w = rand([2, 3, 6], 21);
    expect(maxAbsDiff(layerNorm(x, g, b).dataSync(), refLayerNorm(x.dataSync(), g.dataSync(), b.dataSync(), 6))).toBeLessThan(1e-5);
    const plain = (xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => {
      const mean = tf.mean(xx, -1, true);
      const v = tf.mean(tf.square(tf.sub(xx, mean)), -1, true);
      return tf.add(tf.mul(tf.div(tf.sub(xx, mean), tf.sqrt(tf.add(v, 1e-5))), gg), bb);
    };
    const ours = tf.grads((xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(layerNorm(xx, gg as tf.Tensor1D, bb as tf.Tensor1D), w)))([x, g, b]);
    const ref = tf.grads((xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(plain(xx, gg, bb), w)))([x, g, b]);
    ours.forEach((o, i) => expect(maxAbsDiff(o.dataSync(), ref[i].dataSync())).toBeLessThan(1e-4));
  });
});

describe('gelu', () => {
  const xs = Array.from({ length: 241 }, (_, i) => -12 + i * 0.1);

  it('equals the exact erf form to float32 accuracy', () => {
    const y = gelu(tf.tensor1d(xs)).dataSync();
    xs.forEach((x, i) => expect(Math.abs(y[i] - refGelu(x))).toBeLessThan(3e-7 * Math.max(1, Math.abs(x))));
    const cdf = normalCdf(tf.tensor1d(xs)).dataSync();
    xs.forEach((x, i) => expect(Math.abs(cdf[i] - 0.5 * (1 + refErf(x / Math.SQRT2)))).toBeLessThan(3e-7));
  });

  it('takes the same values with a tape (polynomial) and without one (erf, on small tensors)', () => {
    const x = tf.tensor1d(xs);
    const plain = gelu(x).dataSync();
    let onTape: Float32Array = new Float32Array(0);
    tf.grad((v: tf.Tensor) => {
      const y = gelu(v);
      onTape = Float32Array.from(y.dataSync());
      return tf.sum(y) as tf.Scalar;
    })(x);
    expect(onTape).toHaveLength(xs.length);
    xs.forEach((v, i) => expect(Math.abs(plain[i] - onTape[i])).toBeLessThan(3e-7 * Math.max(1, Math.abs(v))));
  });

  it('has the derivative Phi(x) + x phi(x)', () => {
    const g = tf.grad((x: tf.Tensor) => tf.sum(gelu(x)))(tf.tensor1d(xs)).dataSync();
    xs.forEach((x, i) => {
      const exact = 0.5 * (1 + refErf(x / Math.SQRT2)) + (x * Math.exp((-x * x) / 2)) / Math.sqrt(2 * Math.PI);
      expect(Math.abs(g[i] - exact)).toBeLessThan(2e-6);
    });
  });
});

describe('stopGradient', () => {
  it('passes values and blocks the gradient', () => {
    const x = tf.tensor1d([1, -2, 3]);
    expect(Array.from(stopGradient(x).dataSync())).toEqual([1, -2, 3]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.add(tf.square(v), stopGradient(tf.square(v)))))(x);
    expect(Array.from(g.dataSync())).toEqual([2, -4, 6]);
  });
});

describe('dropout', () => {
  const x = tf.ones([200, 50]);

  it("uses createRng(seed, stream)'s 32-bit outputs, 16 bits per element", () => {
    const mask = dropoutMask([5], 0.5, 9, 4).dataSync();
    const rng = createRng(9, 4);
    const bits = [0, 1, 2].flatMap(() => {
      const u = rng.nextUint32();
      return [u & 0xffff, u >>> 16];
    });
    expect(Array.from(mask)).toEqual(bits.slice(0, 5).map((b) => (b >= 32768 ? 2 : 0)));
  });

  it('draws the same mask for the same seed and stream, another for another', () => {
    const a = dropout(x, 0.3, 5, 0).dataSync();
    expect(Array.from(dropout(x, 0.3, 5, 0).dataSync())).toEqual(Array.from(a));
    expect(Array.from(dropout(x, 0.3, 5, 1).dataSync())).not.toEqual(Array.from(a));
    expect(Array.from(dropout(x, 0.3, 6, 0).dataSync())).not.toEqual(Array.from(a));
  });

  it('zeroes about the rate and scales the rest by 1 / (1 - rate)', () => {
    const y = Array.from(dropout(x, 0.3, 5, 0).dataSync());
    const zeros = y.filter((v) => v === 0).length / y.length;
    expect(zeros).toBeGreaterThan(0.27);
    expect(zeros).toBeLessThan(0.33);
    expect(y.filter((v) => v !== 0).every((v) => Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true);
  });

  it('is the identity unless training, with a new stream per call site', () => {
    expect(new DropoutSites(false, 0.5, 1).apply(x)).toBe(x);
    const sites = new DropoutSites(true, 0.5, 1);
    const first = sites.apply(x).dataSync();
    expect(Array.from(sites.apply(x).dataSync())).not.toEqual(Array.from(first));
    expect(Array.from(new DropoutSites(true, 0.5, 1).apply(x).dataSync())).toEqual(Array.from(first));
  });
});
