/**
 * Scaled dot-product attention over heads, forward and backward, without a batched matMul (10x
 * slower than a 2-D one on WASM): every per-(sample, head) product of the tiny [T, d/h] matrices
 * is one depthwise convolution whose channels are the B * h (sample, head) pairs. Channel n of
 * the layouts below is head-major, n = head * B + sample.
 *   scores  S[i, n, j] = sum_c Q[i, n, c] K[j, n, c]: input Q as [1, Tq, dh, n], filter K [1, dh, n, Tk]
 *   context C[i, n, c] = sum_j A[i, n, j] V[j, n, c]: input A as [1, Tq, Tk, n], filter V [1, Tk, n, dh]
 */
import * as tf from '@tensorflow/tfjs-core';

/** Shapes of one attention call: B samples, Tq queries, Tk keys, `heads` heads of width dh. */
export interface AttnShape {
  b: number;
  tq: number;
  tk: number;
  heads: number;
  dh: number;
}

/** Rows [B * T, d] as the 4-D [B, T, h, dh] permuted by perm, reshaped to `to`. */
function heads4(x: tf.Tensor, s: AttnShape, t: number, perm: number[], to: [number, number, number, number]): tf.Tensor4D {
  return tf.reshape(tf.transpose(tf.reshape(x, [s.b, t, s.heads, s.dh]), perm), to);
}

/** [T, n = h * B, dh] (as a convolution output [1, T, 1, n * dh]) back to rows [B * T, d]. */
function rows(y: tf.Tensor, s: AttnShape, t: number): tf.Tensor2D {
  return tf.reshape(tf.transpose(tf.reshape(y, [t, s.heads, s.b, s.dh]), [2, 0, 1, 3]), [s.b * t, s.heads * s.dh]);
}

function conv(input: tf.Tensor4D, filter: tf.Tensor4D): tf.Tensor {
  return tf.depthwiseConv2d(input, filter, 1, 'valid');
}

/** Attention weights A [Tq, n, Tk] and context rows [B * Tq, d] of projected Q, K, V rows. */
export function attnForward(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, s: AttnShape): { ctx: tf.Tensor2D; a: tf.Tensor3D } {
  const n = s.b * s.heads;
  const qIn = heads4(q, s, s.tq, [1, 3, 2, 0], [1, s.tq, s.dh, n]);
  const kF = heads4(k, s, s.tk, [3, 2, 0, 1], [1, s.dh, n, s.tk]);
  const scores = tf.reshape(conv(qIn, kF), [s.tq, n, s.tk]);
  const a = tf.softmax(tf.mul(scores, 1 / Math.sqrt(s.dh))) as tf.Tensor3D;
  const vF = heads4(v, s, s.tk, [1, 2, 0, 3], [1, s.tk, n, s.dh]);
  const aIn = tf.reshape(tf.transpose(a, [0, 2, 1]), [1, s.tq, s.tk, n]) as tf.Tensor4D;
  return { ctx: rows(conv(aIn, vF), s, s.tq), a };
}

/** Gradients of Q, K, V rows given the context rows' gradient and the forward's tensors. */
export function attnBackward(dctx: tf.Tensor, q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, a: tf.Tensor, s: AttnShape): { dq: tf.Tensor2D; dk: tf.Tensor2D; dv: tf.Tensor2D } {
  const n = s.b * s.heads;
  // dA[i,n,j] = sum_c dC[i,n,c] V[j,n,c]
  const dcIn = heads4(dctx, s, s.tq, [1, 3, 2, 0], [1, s.tq, s.dh, n]);
  const vF = heads4(v, s, s.tk, [3, 2, 0, 1], [1, s.dh, n, s.tk]);
  const da = tf.reshape(conv(dcIn, vF), [s.tq, n, s.tk]);
  // softmax backward, then the 1/sqrt(dh) scale of the scores
  const ds = tf.mul(tf.mul(a, tf.sub(da, tf.sum(tf.mul(da, a), -1, true))), 1 / Math.sqrt(s.dh));
  // dV[j,n,c] = sum_i A[i,n,j] dC[i,n,c]
  const aT = tf.reshape(tf.transpose(a, [2, 0, 1]), [1, s.tk, s.tq, n]) as tf.Tensor4D;
  const dcF = heads4(dctx, s, s.tq, [1, 2, 0, 3], [1, s.tq, n, s.dh]);
  const dv = rows(conv(aT, dcF), s, s.tk);
  // dQ[i,n,c] = sum_j dS[i,n,j] K[j,n,c]
  const dsIn = tf.reshape(tf.transpose(ds, [0, 2, 1]), [1, s.tq, s.tk, n]) as tf.Tensor4D;
  const dq = rows(conv(dsIn, heads4(k, s, s.tk, [1, 2, 0, 3], [1, s.tk, n, s.dh])), s, s.tq);
  // dK[j,n,c] = sum_i dS[i,n,j] Q[i,n,c]
  const dsT = tf.reshape(tf.transpose(ds, [2, 0, 1]), [1, s.tk, s.tq, n]) as tf.Tensor4D;
  const dk = rows(conv(dsT, heads4(q, s, s.tq, [1, 2, 0, 3], [1, s.tq, n, s.dh])), s, s.tk);
  return { dq, dk, dv };
}
