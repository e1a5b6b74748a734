/**
 * Differentiable ops that replace tape-level concat/split/slice (slow on WASM, see kernels.ts)
 * and fuse small layer stacks into one tape node each: fewer kernels, and only the tensors the
 * backward pass needs stay alive until it runs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { cdfParts, geluBackward, mm, mmBias, putChunks, rowSum, splitColumns, takeChunks, tr2, weightGrad } from './kernels';
import { custom } from './ops';

/** Chunk i of k equal chunks of x along axis 0 (e.g. one branch of [2B, t, d]). */
export function pick<T extends tf.Tensor>(x: T, i: number, k: number): T {
  const shape = [x.shape[0] / k, ...x.shape.slice(1)];
  const f = custom(([xx]) => ({
    value: tf.reshape(takeChunks(xx, i, 1, k), shape),
    gradFunc: (dy) => [tf.reshape(putChunks(dy, i, 1, k), xx.shape)],
  }));
  return f(x) as T;
}

/** tf.concat(xs, 0) for tensors of equal shape, with a gradient that needs no Slice. */
export function stack0<T extends tf.Tensor>(xs: T[]): T {
  const k = xs.length;
  if (k === 1) return xs[0];
  const f = custom((parts) => ({
    value: tf.concat(parts, 0),
    gradFunc: (dy) => parts.map((p, i) => tf.reshape(takeChunks(dy, i, 1, k), p.shape)),
  }));
  return f(...xs) as T;
}

/** Rows of concat(xs, last axis) as one [N, sum d_i] matrix (the input itself when alone). */
function joined(xs: tf.Tensor[]): tf.Tensor2D {
  const flat = xs.map((x) => tf.reshape(x, [-1, (x.shape as number[])[x.rank - 1]]));
  return (flat.length === 1 ? flat[0] : tf.concat(flat, 1)) as tf.Tensor2D;
}

/** Gradients of the pieces of joined(xs) from the gradient of the whole. */
function unjoined(dx: tf.Tensor, xs: tf.Tensor[]): tf.Tensor[] {
  return splitColumns(dx, xs.map((x) => (x.shape as number[])[x.rank - 1])).map((g, i) => tf.reshape(g, xs[i].shape));
}

function outShape(x: tf.Tensor, dOut: number): number[] {
  return [...x.shape.slice(0, -1), dOut];
}

/** Linear on the concatenation of xs along the last axis: concat(xs) @ kernel + bias. */
export function dense<T extends tf.Tensor>(xs: T[], kernel: tf.Tensor2D, bias: tf.Tensor1D): T {
  const n = xs.length;
  const f = custom((args, save) => {
    const [w, b] = args.slice(n);
    const x = joined(args.slice(0, n));
    save([x]);
    return {
      value: tf.reshape(mmBias(x, w, b), outShape(args[0], (w.shape as number[])[1])),
      gradFunc: (dy, [sx]) => {
        const g = tf.reshape(dy, [-1, (w.shape as number[])[1]]);
        return [...unjoined(mm(g, tr2(w)), xs), weightGrad(sx, g), rowSum(g)];
      },
    };
  });
  return f(...xs, kernel, bias) as T;
}

/** Linear -> GELU -> Linear on the concatenation of xs along the last axis, one tape node. */
export function mlp<T extends tf.Tensor>(xs: T[], w1: tf.Tensor2D, b1: tf.Tensor1D, w2: tf.Tensor2D, b2: tf.Tensor1D): T {
  const n = xs.length;
  const f = custom((args, save) => {
    const [k1, c1, k2, c2] = args.slice(n);
    const x = joined(args.slice(0, n));
    const h = mmBias(x, k1, c1);
    const { cdf, s } = cdfParts(h);
    const a = tf.mul(h, cdf);
    save([x, h, s, cdf, a]);
    return {
      value: tf.reshape(mmBias(a, k2, c2), outShape(args[0], (k2.shape as number[])[1])),
      gradFunc: (dy, [sx, sh, ss, scdf, sa]) => {
        const g = tf.reshape(dy, [-1, (k2.shape as number[])[1]]);
        const dh = geluBackward(mm(g, tr2(k2)), sh, ss, scdf);
        const dx = mm(dh, tr2(k1));
        return [...unjoined(dx, xs), weightGrad(sx, dh), rowSum(dh), weightGrad(sa, g), rowSum(g)];
      },
    };
  });
  return f(...xs, w1, b1, w2, b2) as T;
}
