/**
 * MISA's losses as MMSA's trains/singleTask/MISA.py computes them: MSE task loss, DiffLoss
 * (squared Frobenius norm of the correlation of batch-centred, row-normalised codes, norms
 * detached), CMD between shared codes (central moment discrepancy, 5 moments) and the MSE
 * reconstruction of the projected utterances.
 */
import * as tf from '@tensorflow/tfjs-core';
import { matMul, stopGradient } from '../../ops/ops';
import type { MisaConfig } from './misa-config';
import type { MisaOutputs } from './misa-forward';

/** Loss terms in the order score() reports them. */
export const MISA_TERMS = ['task', 'diff', 'sim', 'recon', 'total', 'sel'] as const;

/** MMSA's DiffLoss between two [B, h] codes. */
export function diffLoss(a: tf.Tensor2D, b: tf.Tensor2D): tf.Scalar {
  const unit = (x: tf.Tensor2D) => {
    const c = tf.sub(x, tf.mean(x, 0, true));
    const norm = stopGradient(tf.sqrt(tf.sum(tf.square(c), 1, true)));
    return tf.div(c, tf.add(norm, 1e-6));
  };
  const corr = matMul(tf.transpose(unit(a)), unit(b));
  return tf.mean(tf.square(corr));
}

/** L2 norm of a - b (MMSA's matchnorm). */
function matchNorm(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  return tf.sqrt(tf.sum(tf.square(tf.sub(a, b))));
}

/** x^k by repeated products (Pow has no registered gradient in the Node bundle). */
function power(x: tf.Tensor, k: number): tf.Tensor {
  let y = x;
  for (let i = 1; i < k; i++) y = tf.mul(y, x);
  return y;
}

/** MMSA's CMD between two [B, h] codes with n moments. */
export function cmd(x1: tf.Tensor2D, x2: tf.Tensor2D, moments: number): tf.Scalar {
  const m1 = tf.mean(x1, 0);
  const m2 = tf.mean(x2, 0);
  const s1 = tf.sub(x1, m1);
  const s2 = tf.sub(x2, m2);
  let sum = matchNorm(m1, m2);
  for (let k = 2; k <= moments; k++) sum = tf.add(sum, matchNorm(tf.mean(power(s1, k), 0), tf.mean(power(s2, k), 0)));
  return sum;
}

/** Mean squared error over every element (MMSA's MSE class and nn.MSELoss agree). */
export function mse(pred: tf.Tensor, real: tf.Tensor): tf.Scalar {
  return tf.mean(tf.square(tf.sub(real, pred)));
}

/** Every MISA loss term of one pass; `labels` [B]. */
export function misaLosses(out: MisaOutputs, labels: tf.Tensor1D, c: MisaConfig): Record<(typeof MISA_TERMS)[number], tf.Scalar> {
  const { priv: p, shared: s } = out;
  const task = mse(tf.reshape(out.pred, [-1]), labels);
  const pairs: [tf.Tensor2D, tf.Tensor2D][] = [
    [p.t, s.t],
    [p.v, s.v],
    [p.a, s.a],
    [p.a, p.t],
    [p.a, p.v],
    [p.t, p.v],
  ];
  const diff = tf.addN(pairs.map(([x, y]) => diffLoss(x, y))) as tf.Scalar;
  const n = c.cmdMoments;
  const sim = tf.div(tf.addN([cmd(s.t, s.v, n), cmd(s.t, s.a, n), cmd(s.a, s.v, n)]), 3) as tf.Scalar;
  const recon = tf.div(tf.addN((['t', 'v', 'a'] as const).map((m) => mse(out.recon[m], out.orig[m]))), 3) as tf.Scalar;
  const total = tf.addN([task, tf.mul(diff, c.diffWeight), tf.mul(sim, c.simWeight), tf.mul(recon, c.reconWeight)]) as tf.Scalar;
  // MMSA selects on the validation loss of the task criterion alone (KeyEval 'Loss')
  return { task, diff, sim, recon, total, sel: task };
}
