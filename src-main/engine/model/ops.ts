/**
 * Differentiable building blocks with hand-written gradients where tfjs' own are slow or missing
 * on WASM: matMul transposes explicitly (the built-in gradient's transposeA/B matMuls are 9-16x
 * slower there), the kernel-3 convolution is matMuls over shifted copies (no conv gradient
 * kernels on WASM), LayerNorm and GELU backprop in a few fused ops instead of a long tape.
 * Operands that are data rather than parameters (inputs, pooling matrices) are captured as
 * constants so no gradient is computed for them (tf.customGrad computes every input's gradient).
 */
import * as tf from '@tensorflow/tfjs-core';


import { createRng } from '../rng';
import { registerModelGradients } from './ops-gradients';

registerModelGradients();

type Save = (tensors: tf.Tensor[]) => void;
type GradResult = { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[] };

/** Typed wrapper over tf.customGrad: f receives the differentiable inputs and the save function. */
function custom(f: (inputs: tf.Tensor[], save: Save) => GradResult): (...xs: tf.Tensor[]) => tf.Tensor {
  return tf.customGrad((...args: (tf.Tensor | Save)[]) => {
    const save = args[args.length - 1] as Save;
    return f(args.slice(0, -1) as tf.Tensor[], save);
  }) as (...xs: tf.Tensor[]) => tf.Tensor;
}

/** Swaps the last two axes (rank 2 or 3). */
export function transposeLast(x: tf.Tensor): tf.Tensor {
  return x.rank === 2 ? tf.transpose(x) : tf.transpose(x, [0, 2, 1]);
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

/** x @ kernel + bias on the last axis, for x of rank 2 or 3 ([B,T,d_in] is reshaped to 2-D). */
export function linear<T extends tf.Tensor>(x: T, kernel: tf.Tensor2D, bias: tf.Tensor1D | null, opts: { constInput?: boolean } = {}): T {
  const [dIn, dOut] = kernel.shape;
  const x2 = x.rank === 2 ? x : tf.reshape(x, [-1, dIn]);
  let y: tf.Tensor = matMul(x2, kernel, { constA: opts.constInput });
  if (bias) y = tf.add(y, bias);
  return (x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), dOut])) as T;
}

/** Shifts a [B, T, C] sequence along time by +1 (x[t-1], zero first) or -1 (x[t+1], zero last). */
function shiftTime(x: tf.Tensor3D, by: 1 | -1): tf.Tensor3D {
  const [b, t, c] = x.shape;
  if (t === 1) return tf.zerosLike(x);
  return by === 1
    ? tf.pad(tf.slice(x, [0, 0, 0], [b, t - 1, c]), [[0, 0], [1, 0], [0, 0]])
    : tf.pad(tf.slice(x, [0, 1, 0], [b, t - 1, c]), [[0, 0], [0, 1], [0, 0]]);
}

/**
 * Kernel-3 'same' convolution over time with zero padding on data x [B, T, d_in] (no gradient
 * for x): y[t] = x[t-1] W0 + x[t] W1 + x[t+1] W2 + bias, kernel [3, d_in, d_out].
 * Narrow inputs shift x and do one matMul against [3 d_in, d_out]; wide inputs (text) do one
 * matMul against [d_in, 3 d_out] and shift the three outputs, whichever moves fewer floats.
 */
export function conv3(x: tf.Tensor3D, kernel: tf.Tensor3D, bias: tf.Tensor1D): tf.Tensor3D {
  const [b, t, dIn] = x.shape;
  const dOut = kernel.shape[2];
  if (dIn <= dOut) {
    const cols = tf.reshape(tf.concat([shiftTime(x, 1), x, shiftTime(x, -1)], 2), [b * t, 3 * dIn]);
    const y = matMul(cols, tf.reshape(kernel, [3 * dIn, dOut]), { constA: true });
    return tf.reshape(tf.add(y, bias), [b, t, dOut]);
  }
  const wide = tf.reshape(tf.transpose(kernel, [1, 0, 2]), [dIn, 3 * dOut]);
  const z = tf.reshape(matMul(tf.reshape(x, [b * t, dIn]), wide, { constA: true }), [b, t, 3 * dOut]);
  const [z0, z1, z2] = tf.split(z, 3, 2) as tf.Tensor3D[];
  return tf.add(tf.addN([shiftTime(z0, 1), z1, shiftTime(z2, -1)]), bias);
}

/** LayerNorm over the last axis with epsilon 1e-5 (spec), fused gradient. */
export function layerNorm<T extends tf.Tensor>(x: T, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps = 1e-5): T {
  const f = custom(([xx, g, bt], save) => {
    const mean = tf.mean(xx, -1, true);
    const xc = tf.sub(xx, mean);
    const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(xc), -1, true), eps));
    const xhat = tf.mul(xc, rstd);
    save([xhat, rstd, g]);
    return {
      value: tf.add(tf.mul(xhat, g), bt),
      gradFunc: (dy, [sxhat, srstd, sg]) => {
        const lead = dy.shape.slice(0, -1).map((_, i) => i);
        const dxhat = tf.mul(dy, sg);
        const m1 = tf.mean(dxhat, -1, true);
        const m2 = tf.mean(tf.mul(dxhat, sxhat), -1, true);
        const dx = tf.mul(tf.sub(tf.sub(dxhat, m1), tf.mul(sxhat, m2)), srstd);
        return [dx, tf.sum(tf.mul(dy, sxhat), lead), tf.sum(dy, lead)];
      },
    };
  });
  return f(x, gamma, beta) as T;
}

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Exact GELU 0.5 x (1 + erf(x / sqrt 2)); gradient Phi(x) + x phi(x) in one pass. */
export const gelu = custom(([x], save) => {
  const cdf = tf.mul(0.5, tf.add(1, tf.erf(tf.mul(x, SQRT1_2))));
  save([x, cdf]);
  return {
    value: tf.mul(x, cdf),
    gradFunc: (dy, [sx, scdf]) => {
      const pdf = tf.mul(INV_SQRT_2PI, tf.exp(tf.mul(-0.5, tf.square(sx))));
      return [tf.mul(dy, tf.add(scdf, tf.mul(sx, pdf)))];
    },
  };
}) as <T extends tf.Tensor>(x: T) => T;

/** Identity forward, zero gradient: the target of a loss that must not pull on its producer. */
export const stopGradient = custom(([x]) => ({
  value: tf.clone(x),
  gradFunc: (dy) => [tf.zerosLike(dy)],
})) as <T extends tf.Tensor>(x: T) => T;

/** The last time step of [B, T, d] as [B, d]. */
export function lastStep(x: tf.Tensor3D): tf.Tensor2D {
  const [b, t, d] = x.shape;
  return tf.reshape(tf.slice(x, [0, t - 1, 0], [b, 1, d]), [b, d]);
}

/**
 * Inverted dropout with a mask drawn from createRng(seed, stream): same seed and stream give the
 * same mask on every backend (tf.dropout's seed path depends on tfjs internals).
 */
export function dropout<T extends tf.Tensor>(x: T, rate: number, seed: number, stream: number): T {
  if (rate <= 0) return x;
  const n = x.size;
  const mask = new Float32Array(n);
  const rng = createRng(seed, stream);
  const threshold = rate * 4294967296;
  const scale = 1 / (1 - rate);
  for (let i = 0; i < n; i++) mask[i] = rng.nextUint32() >= threshold ? scale : 0;
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
