/**
 * The alignment layer's convolution and pooling on the layouts of inputs-layout.ts, with
 * gradients only for the parameters (the inputs are data). No slice/concat of large tensors:
 * on WASM those copy their whole input through JS.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NarrowInput, WideInput } from './inputs';
import { custom, linear, sumRows } from './ops';

/**
 * Kernel-3 'same' convolution on wide frames: y = sum_k tap_k @ W_k + bias, for the corrupted
 * branch with each tap's rows masked (masking commutes with the matMul). Returns
 * [branches, N, d_out] (corrupted first).
 */
export function wideConv3(input: WideInput, kernel: tf.Tensor3D, bias: tf.Tensor1D): tf.Tensor3D {
  const { taps, paddedT, branchMask, branches } = input;
  const n = taps[0].shape[0];
  const dOut = kernel.shape[2];
  const f = custom(([kk, bb]) => {
    const w = tf.unstack(kk);
    const parts = taps.map((x, k) => tf.reshape(tf.matMul(x, w[k]), [1, n, dOut]));
    const mixed = branchMask ? parts.map((p, k) => tf.mul(p, branchMask[k])) : parts;
    return {
      value: tf.add(tf.addN(mixed), bb),
      gradFunc: (dy) => {
        const grads = [0, 1, 2].map((k) => {
          // dP_k sums the branches (the corrupted one masked); tap k read padded rows shifted by k.
          const dp = branchMask
            ? tf.matMul(tf.ones([1, 2]), tf.reshape(tf.mul(dy, branchMask[k]), [2, n * dOut]))
            : dy;
          return tf.matMul(paddedT, tf.pad(tf.reshape(dp, [n, dOut]), [[k, 2 - k], [0, 0]]));
        });
        return [tf.stack(grads), sumRows(tf.reshape(dy, [branches * n, dOut]) as tf.Tensor2D)];
      },
    };
  });
  return f(kernel, bias) as tf.Tensor3D;
}

/** Kernel-3 'same' convolution on narrow im2col rows: [slots * R, d_out]. */
export function narrowConv3(input: NarrowInput, kernel: tf.Tensor3D, bias: tf.Tensor1D): tf.Tensor2D {
  const [, dIn, dOut] = kernel.shape;
  return linear(input.cols, tf.reshape(kernel, [3 * dIn, dOut]) as tf.Tensor2D, bias, { xT: input.colsT });
}

/** Weighted sum over the slots: y [slots, R, d] -> [R, d] with the input's averaging weights. */
export function slotPool(y: tf.Tensor3D, weights: tf.Tensor3D): tf.Tensor2D {
  const [slots, rows, d] = y.shape;
  const f = custom(([yy]) => ({
    value: tf.reshape(tf.matMul(tf.ones([1, slots]), tf.reshape(tf.mul(yy, weights), [slots, rows * d])), [rows, d]),
    gradFunc: (dy) => [tf.mul(tf.reshape(dy, [1, rows, d]), weights)],
  }));
  return f(y) as tf.Tensor2D;
}
