/**
 * LNLN's losses (public core/losses.py, MultimodalLoss) as pure functions of the forward's
 * outputs: total = alpha l_cc + beta l_adv + gamma l_rec + sigma l_sp, every term a mean.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MODALITIES } from '#contract/dataset';
import type { LnlnConfig } from './lnln-config';
import type { LnlnOutputs } from './lnln-net';

/** The terms LNLN reports, in the order score() returns them. */
export const LNLN_TERMS = ['task', 'cc', 'adv', 'rec', 'total', 'sel'] as const;

/** One name of LNLN_TERMS. */
export type LnlnTerm = (typeof LNLN_TERMS)[number];

/** Mean squared error over every element. */
function mse(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  return tf.mean(tf.square(tf.sub(a, b)));
}

/**
 * Cross-entropy of the effectiveness discriminator: its first half of rows (the dominant
 * feature) has label 1, the second half (the complete language feature) label 0.
 */
function effectivenessLoss(logits: tf.Tensor2D): tf.Scalar {
  const n = logits.shape[0];
  const target = new Float32Array(n * 2);
  for (let r = 0; r < n; r++) target[r * 2 + (r < n / 2 ? 1 : 0)] = 1;
  return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), tf.tensor2d(target, [n, 2])), 1)));
}

/**
 * Every term as a scalar. Without the complete branch (inference) l_adv and l_rec are 0, as in
 * the public evaluate(). `sel` is what that evaluate() computes as its loss: sigma l_sp + alpha l_cc.
 */
export function lnlnLosses(out: LnlnOutputs, labels: tf.Tensor1D, completeness: tf.Tensor1D, c: LnlnConfig): Record<LnlnTerm, tf.Scalar> {
  const task = mse(tf.reshape(out.pred, [-1]), labels);
  const cc = mse(tf.reshape(out.w, [-1]), completeness);
  const adv = out.disc ? effectivenessLoss(out.disc) : tf.scalar(0);
  // The public code concatenates the three modalities' [B, tokenLen, d] features: equal sizes, so
  // one MSE over the concatenation is the mean of the three.
  const rec = out.rec && out.complete ? tf.div(tf.addN(MODALITIES.map((m) => mse(out.rec![m], out.complete![m]))), MODALITIES.length) : tf.scalar(0);
  const sel = tf.add(tf.mul(task, c.sigma), tf.mul(cc, c.alpha));
  const total = tf.addN([sel, tf.mul(adv, c.beta), tf.mul(rec, c.gamma)]);
  return { task, cc, adv, rec, total, sel } as Record<LnlnTerm, tf.Scalar>;
}

/** The terms as a [terms] vector in LNLN_TERMS order. */
export function termVector(terms: Record<LnlnTerm, tf.Scalar>): tf.Tensor1D {
  return tf.stack(LNLN_TERMS.map((k) => terms[k])) as tf.Tensor1D;
}
