/**
 * Differentiable building blocks with hand-written gradients, built from the plain kernels of
 * kernels.ts (which says what is fast and slow on WASM). Operands that are data are captured as
 * constants, so no gradient is computed for them (tf.customGrad computes every input's gradient
 * eagerly). The layers' fused ops (fused.ts, conv.ts, blocks/*-op.ts) use `custom`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { seedState } from '../../rng';
import { cdfParts, geluBackward, lnBackward, lnForward, mm, mmBias, rowSum, shareIdentityBuffers, tr2, weightGrad } from './kernels';
import { registerModelGradients } from './gradients';

registerModelGradients();

type Save = (tensors: tf.Tensor[]) => void;
type GradResult = { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[] };

/** Typed wrapper over tf.customGrad: f receives the differentiable inputs and the save function. */
export function custom(f: (inputs: tf.Tensor[], save: Save) => GradResult): (...xs: tf.Tensor[]) => tf.Tensor {
  shareIdentityBuffers();
  return tf.customGrad((...args: (tf.Tensor | Save)[]) => {
    const save = args[args.length - 1] as Save;
    const { value, gradFunc } = f(args.slice(0, -1) as tf.Tensor[], save);
    // tfjs calls a custom gradFunc outside any scope, so without this tidy its intermediates
    // would live until the whole backward pass ends.
    return { value, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.tidy(() => gradFunc(dy, saved)) };
  }) as (...xs: tf.Tensor[]) => tf.Tensor;
}

/** Swaps the last two axes (rank 2 or 3). */
export function transposeLast(x: tf.Tensor): tf.Tensor {
  return x.rank === 2 ? tr2(x) : tf.transpose(x, [0, 2, 1]);
}

const matMulBoth = custom(([a, b], save) => {
  save([a, b]);
  return {
    value: mm(a, b),
    gradFunc: (dy, [sa, sb]) => [mm(dy, transposeLast(sb)), mm(transposeLast(sa), dy)],
  };
});

/**
 * a @ b for rank 2 ([M,K] x [K,N]) or rank 3 with equal batch ([B,M,K] x [B,K,N]).
 * `constA`/`constB` mark an operand that never needs a gradient (data, not parameters).
 */
export function matMul<T extends tf.Tensor>(a: T, b: tf.Tensor, opts: { constA?: boolean; constB?: boolean } = {}): T {
  if (opts.constA && opts.constB) return mm(a, b) as T;
  if (opts.constA) {
    const f = custom(([bb], save) => {
      save([a]);
      return { value: mm(a, bb), gradFunc: (dy, [sa]) => [mm(transposeLast(sa), dy)] };
    });
    return f(b) as T;
  }
  if (opts.constB) {
    const f = custom(([aa], save) => {
      save([b]);
      return { value: mm(aa, b), gradFunc: (dy, [sb]) => [mm(dy, transposeLast(sb))] };
    });
    return f(a) as T;
  }
  return matMulBoth(a, b) as T;
}

const linear2d = custom(([x, w, b], save) => {
  save([x, w]);
  return {
    value: mmBias(x, w, b),
    gradFunc: (dy, [sx, sw]) => [mm(dy, tr2(sw)), weightGrad(sx, dy), rowSum(dy)],
  };
});

/**
 * x @ kernel + bias on the last axis ([B,T,d_in] is reshaped to 2-D). For data x pass
 * `constInput`, optionally with its transpose `xT` [d_in, N] (then no transpose is computed).
 */
export function linear<T extends tf.Tensor>(x: T, kernel: tf.Tensor2D, bias: tf.Tensor1D, opts: { constInput?: boolean; xT?: tf.Tensor2D } = {}): T {
  const [dIn, dOut] = kernel.shape;
  const x2 = (x.rank === 2 ? x : tf.reshape(x, [-1, dIn])) as tf.Tensor2D;
  let y: tf.Tensor;
  if (opts.constInput || opts.xT) {
    const f = custom(([w, b], save) => {
      save([opts.xT ?? x2]);
      return {
        value: mmBias(x2, w, b),
        gradFunc: (dy, [sx]) => [opts.xT ? mm(sx, dy) : weightGrad(sx, dy), rowSum(dy)],
      };
    });
    y = f(kernel, bias);
  } else {
    y = linear2d(x2, kernel, bias);
  }
  return (x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), dOut])) as T;
}

/** LayerNorm over the last axis with epsilon 1e-5 (spec), fused gradient. */
export function layerNorm<T extends tf.Tensor>(x: T, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps = 1e-5): T {
  const d = gamma.shape[0];
  const f = custom(([xx, g, bt], save) => {
    const { y, xhat, rstd } = lnForward(tf.reshape(xx, [-1, d]), g, bt, eps);
    save([xhat, rstd, g]);
    return {
      value: tf.reshape(y, xx.shape),
      gradFunc: (dy, [sxhat, srstd, sg]) => {
        const { dx, dgamma, dbeta } = lnBackward(tf.reshape(dy, [-1, d]), sxhat, srstd, sg);
        return [tf.reshape(dx, dy.shape), dgamma, dbeta];
      },
    };
  });
  return f(x, gamma, beta) as T;
}

/** Standard normal CDF Phi(x) (float32-accurate, see kernels.ts). */
export function normalCdf<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => cdfParts(x).cdf as T);
}

/** GELU x Phi(x) (the exact erf form to float32 accuracy); gradient Phi(x) + x phi(x). */
export const gelu = custom(([x], save) => {
  const { cdf, s } = cdfParts(x);
  save([x, s, cdf]);
  return {
    value: tf.mul(x, cdf),
    gradFunc: (dy, [sx, ss, scdf]) => [geluBackward(dy, sx, ss, scdf)],
  };
}) as <T extends tf.Tensor>(x: T) => T;

/** Identity forward, zero gradient: the target of a loss that must not pull on its producer. */
export const stopGradient = custom(([x]) => ({
  value: tf.clone(x),
  gradFunc: (dy) => [tf.zerosLike(dy)],
})) as <T extends tf.Tensor>(x: T) => T;

/**
 * The inverted-dropout mask for `shape` drawn from createRng(seed, stream), 16 random bits per
 * element (rate resolution 2^-16): same seed and stream give the same mask on every backend.
 */
export function dropoutMask(shape: number[], rate: number, seed: number, stream: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const mask = new Float32Array(n);
  const threshold = Math.round(rate * 65536);
  const scale = 1 / (1 - rate);
  // createRng(seed, stream).nextUint32() (xoshiro128** from seedState), inlined: ~3x faster
  let [s0, s1, s2, s3] = seedState(seed, stream);
  for (let i = 0; i < n; i += 2) {
    const m = Math.imul(s1, 5);
    const u = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    mask[i] = (u & 0xffff) >= threshold ? scale : 0;
    if (i + 1 < n) mask[i + 1] = u >>> 16 >= threshold ? scale : 0;
  }
  return tf.tensor(mask, shape);
}

/** Inverted dropout with the mask of dropoutMask(x.shape, rate, seed, stream). */
export function dropout<T extends tf.Tensor>(x: T, rate: number, seed: number, stream: number): T {
  if (rate <= 0) return x;
  return tf.mul(x, dropoutMask(x.shape, rate, seed, stream)) as T;
}

/** Dropout for one forward pass: off unless training; each call site gets the next stream. */
export class DropoutSites {
  private next = 0;

  constructor(
    readonly training: boolean,
    readonly rate: number,
    readonly seed: number,
  ) {}

  /** Applies dropout (training only) with this pass's next mask stream. */
  apply<T extends tf.Tensor>(x: T): T {
    if (!this.training || this.rate <= 0) return x;
    return dropout(x, this.rate, this.seed, this.next++);
  }

  /** The next site's mask for `shape` (what apply would multiply by), or null when off. */
  mask(shape: number[]): tf.Tensor | null {
    if (!this.training || this.rate <= 0) return null;
    return dropoutMask(shape, this.rate, this.seed, this.next++);
  }
}

/** tf.tidy for functions returning a typed object of tensors (interfaces lack the index signature tidy wants). */
export function tidyObject<T>(fn: () => T): T {
  return tf.tidy(() => fn() as unknown as tf.TensorContainer) as unknown as T;
}
