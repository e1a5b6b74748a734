/**
 * Differentiable building blocks with hand-written gradients shaped by the WASM backend's cost
 * model: the built-in matMul gradient's transposeA/B matMuls are 9-16x slower than an explicit
 * transpose then matMul; reductions over a leading axis and Tile are slow while a matMul with a
 * ones row is nearly free; erf/exp are scalar code while mul/add/sigmoid are SIMD.
 * Operands that are data (inputs, pooling weights) are captured as constants, so no gradient is
 * computed for them (tf.customGrad computes every input's gradient eagerly).
 */
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../rng';
import { registerModelGradients } from './ops-gradients';

registerModelGradients();

type Save = (tensors: tf.Tensor[]) => void;
type GradResult = { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[] };

/** Typed wrapper over tf.customGrad: f receives the differentiable inputs and the save function. */
export function custom(f: (inputs: tf.Tensor[], save: Save) => GradResult): (...xs: tf.Tensor[]) => tf.Tensor {
  return tf.customGrad((...args: (tf.Tensor | Save)[]) => {
    const save = args[args.length - 1] as Save;
    return f(args.slice(0, -1) as tf.Tensor[], save);
  }) as (...xs: tf.Tensor[]) => tf.Tensor;
}

/** Swaps the last two axes (rank 2 or 3). */
export function transposeLast(x: tf.Tensor): tf.Tensor {
  return x.rank === 2 ? tf.transpose(x) : tf.transpose(x, [0, 2, 1]);
}

/** Sum over the rows of a [N, d] gradient as ones[1, N] @ g (a leading-axis Sum is slow on WASM). */
export function sumRows(g: tf.Tensor2D): tf.Tensor1D {
  return tf.reshape(tf.matMul(tf.ones([1, g.shape[0]]), g), [g.shape[1]]);
}

const matMulBoth = custom(([a, b], save) => {
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy, [sa, sb]) => [tf.matMul(dy, transposeLast(sb)), tf.matMul(transposeLast(sa), dy)],
  };
});

/**
 * a @ b for rank 2 ([M,K] x [K,N]) or rank 3 with equal batch ([B,M,K] x [B,K,N]).
 * `constA`/`constB` mark an operand that never needs a gradient (data, not parameters).
 */
export function matMul<T extends tf.Tensor>(a: T, b: tf.Tensor, opts: { constA?: boolean; constB?: boolean } = {}): T {
  if (opts.constA && opts.constB) return tf.matMul(a, b) as T;
  if (opts.constA) {
    const f = custom(([bb], save) => {
      save([a]);
      return { value: tf.matMul(a, bb), gradFunc: (dy, [sa]) => [tf.matMul(transposeLast(sa), dy)] };
    });
    return f(b) as T;
  }
  if (opts.constB) {
    const f = custom(([aa], save) => {
      save([b]);
      return { value: tf.matMul(aa, b), gradFunc: (dy, [sb]) => [tf.matMul(dy, transposeLast(sb))] };
    });
    return f(a) as T;
  }
  return matMulBoth(a, b) as T;
}

/** x^T dy for x [N, d_in], dy [N, d_out], transposing whichever of the two is narrower. */
function weightGrad(x: tf.Tensor, dy: tf.Tensor): tf.Tensor {
  return (x as tf.Tensor2D).shape[1] <= (dy as tf.Tensor2D).shape[1] ? tf.matMul(tf.transpose(x), dy) : tf.transpose(tf.matMul(tf.transpose(dy), x));
}

const linear2d = custom(([x, w, b], save) => {
  save([x, w]);
  return {
    value: tf.add(tf.matMul(x, w), b),
    gradFunc: (dy, [sx, sw]) => [tf.matMul(dy, tf.transpose(sw)), weightGrad(sx, dy), sumRows(dy as tf.Tensor2D)],
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
        value: tf.add(tf.matMul(x2, w), b),
        gradFunc: (dy, [sx]) => [opts.xT ? tf.matMul(sx, dy) : weightGrad(sx, dy), sumRows(dy as tf.Tensor2D)],
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
    const mean = tf.mean(xx, -1, true);
    const xc = tf.sub(xx, mean);
    const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(xc), -1, true), eps));
    const xhat = tf.mul(xc, rstd);
    save([xhat, rstd, g]);
    return {
      value: tf.add(tf.mul(xhat, g), bt),
      gradFunc: (dy, [sxhat, srstd, sg]) => {
        const dxhat = tf.mul(dy, sg);
        const m1 = tf.mean(dxhat, -1, true);
        const m2 = tf.mean(tf.mul(dxhat, sxhat), -1, true);
        const dx = tf.mul(tf.sub(tf.sub(dxhat, m1), tf.mul(sxhat, m2)), srstd);
        const dy2 = tf.reshape(dy, [-1, d]) as tf.Tensor2D;
        return [dx, sumRows(tf.mul(dy2, tf.reshape(sxhat, [-1, d])) as tf.Tensor2D), sumRows(dy2)];
      },
    };
  });
  return f(x, gamma, beta) as T;
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

/** Standard normal CDF Phi(x) (float32-accurate, see GELU_P). */
export function normalCdf<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => {
    const xc = tf.clipByValue(x, -GELU_CLIP, GELU_CLIP);
    return tf.sigmoid(tf.mul(xc, horner(tf.square(xc), GELU_P))) as T;
  });
}

/** GELU x Phi(x) (the exact erf form to float32 accuracy); gradient Phi(x) + x phi(x). */
export const gelu = custom(([x], save) => {
  const xc = tf.clipByValue(x, -GELU_CLIP, GELU_CLIP);
  const s = tf.square(xc);
  const cdf = tf.sigmoid(tf.mul(xc, horner(s, GELU_P)));
  save([x, s, cdf]);
  return {
    value: tf.mul(x, cdf),
    gradFunc: (dy, [sx, ss, scdf]) => {
      // phi = Phi (1 - Phi) g'(x) for Phi = sigmoid(g)
      const pdf = tf.mul(tf.mul(scdf, tf.sub(1, scdf)), horner(ss, GELU_DP));
      return [tf.mul(dy, tf.add(scdf, tf.mul(sx, pdf)))];
    },
  };
}) as <T extends tf.Tensor>(x: T) => T;

/** Identity forward, zero gradient: the target of a loss that must not pull on its producer. */
export const stopGradient = custom(([x]) => ({
  value: tf.clone(x),
  gradFunc: (dy) => [tf.zerosLike(dy)],
})) as <T extends tf.Tensor>(x: T) => T;

/**
 * Inverted dropout with a mask drawn from createRng(seed, stream), 16 random bits per element
 * (rate resolution 2^-16): same seed and stream give the same mask on every backend.
 */
export function dropout<T extends tf.Tensor>(x: T, rate: number, seed: number, stream: number): T {
  if (rate <= 0) return x;
  const n = x.size;
  const mask = new Float32Array(n);
  const rng = createRng(seed, stream);
  const threshold = Math.round(rate * 65536);
  const scale = 1 / (1 - rate);
  for (let i = 0; i < n; i += 2) {
    const u = rng.nextUint32();
    mask[i] = (u & 0xffff) >= threshold ? scale : 0;
    if (i + 1 < n) mask[i + 1] = u >>> 16 >= threshold ? scale : 0;
  }
  return tf.mul(x, tf.tensor(mask, x.shape)) as T;
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
}

/** tf.tidy for functions returning a typed object of tensors (interfaces lack the index signature tidy wants). */
export function tidyObject<T>(fn: () => T): T {
  return tf.tidy(() => fn() as unknown as tf.TensorContainer) as unknown as T;
}
