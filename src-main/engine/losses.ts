/**
 * DAR's losses (spec "Losses"), pure functions of tensors returning scalars. The caller wraps
 * them in tf.tidy / tf.variableGrads; nothing here holds state.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Modality, PerModality } from '#contract/dataset';
import type { Ablation, DarConfig, DarLossTerms } from '#contract/model';
import { DarError } from './errors';
import type { ForwardOutputs } from './model/dar-model';
import { MODALITY_ORDER } from './model/inputs/inputs';
import { mm } from './model/ops/kernels';
import { stopGradient } from './model/ops/ops';

/** The loss terms computeLosses returns (CLUB's own loss is separate). */
export type MainLossName = Exclude<keyof DarLossTerms & string, 'club'>;

/** Mean absolute error over all elements. */
export function l1(pred: tf.Tensor, target: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.abs(tf.sub(pred, target))));
}

/** Mean squared error over all elements (the paper's squared Frobenius norm, rescaled). */
export function mse(pred: tf.Tensor, target: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.square(tf.sub(pred, target))));
}

/** Rows scaled to unit length (eps inside the root keeps the gradient finite at 0). */
function unitRows(z: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(z, tf.rsqrt(tf.add(tf.sum(tf.square(z), 1, true), 1e-12)));
}

/** Mean over rows of log-softmax picked at the diagonal: -mean_i log p(i | i). */
function diagonalCrossEntropy(logits: tf.Tensor2D, axis: 0 | 1): tf.Scalar {
  const n = logits.shape[0];
  const logp = tf.logSoftmax(axis === 1 ? logits : tf.transpose(logits));
  return tf.neg(tf.div(tf.sum(tf.mul(logp, tf.eye(n))), n));
}

/**
 * InfoNCE over the 6 ordered modality pairs (m, n): anchor z_m[i], positive z_n[i], the
 * other z_n[j] negatives, cosine similarity / tau; mean over anchors, then over pairs.
 */
export function infoNceCommon(z: PerModality<tf.Tensor2D>, tau: number): tf.Scalar {
  return tf.tidy(() => {
    const u = MODALITY_ORDER.map((m) => unitRows(z[m]));
    const terms: tf.Scalar[] = [];
    for (let i = 0; i < 3; i++) {
      for (let j = i + 1; j < 3; j++) {
        // Row i of S are m-anchors against every n; its columns are n-anchors against every m.
        const s = tf.div(mm(u[i], tf.transpose(u[j])), tau) as tf.Tensor2D;
        terms.push(diagonalCrossEntropy(s, 1), diagonalCrossEntropy(s, 0));
      }
    }
    return tf.div(tf.addN(terms), terms.length);
  });
}

/**
 * Supervised-contrastive loss over the 3B vectors with the modality as class: positives of
 * (m, i) are (m, j != i), the denominator runs over all 3B - 1 others; mean over anchors.
 * 0 for B < 2 (no positives).
 */
export function supConSpecific(z: PerModality<tf.Tensor2D>, tau: number): tf.Scalar {
  const b = z.l.shape[0];
  if (b < 2) return tf.scalar(0);
  return tf.tidy(() => {
    const n = 3 * b;
    const u = unitRows(tf.concat(MODALITY_ORDER.map((m) => z[m]), 0) as tf.Tensor2D);
    const self = tf.eye(n);
    const s = tf.sub(tf.div(mm(u, tf.transpose(u)), tau), tf.mul(self, 1e9));
    const logp = tf.logSoftmax(s);
    const same = new Float32Array(n * n);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) if (r !== c && Math.floor(r / b) === Math.floor(c / b)) same[r * n + c] = 1;
    }
    const pos = tf.tensor2d(same, [n, n]);
    return tf.neg(tf.div(tf.sum(tf.mul(logp, pos)), n * (b - 1)));
  });
}

/**
 * vCLUB upper bound of one modality: mean over samples i and steps of
 * ll(y_i | x_i) - mean_j ll(y_j | x_i), ll = -sum_d (y - mu(x))^2 / (2 exp(logvar(x))).
 * mean_j (y_j - mu_i)^2 = var_j(y) + (mean_j y - mu_i)^2, so no [B, B] tensor is needed.
 */
export function vClubUpper(yCom: tf.Tensor3D, mu: tf.Tensor3D, logvar: tf.Tensor3D): tf.Scalar {
  return tf.tidy(() => {
    const invVar2 = tf.div(0.5, tf.exp(logvar));
    const ym = tf.mean(yCom, 0, true);
    const yVar = tf.mean(tf.square(tf.sub(yCom, ym)), 0, true);
    const positive = tf.square(tf.sub(yCom, mu));
    const negative = tf.add(yVar, tf.square(tf.sub(ym, mu)));
    // ll(pos) - ll(neg) = (negative - positive) / (2 exp(logvar)), summed over d, meaned over B, t
    const perStep = tf.sum(tf.mul(tf.sub(negative, positive), invVar2), 2);
    return tf.mean(perStep);
  });
}

/**
 * CLUB's own loss for one modality: Gaussian NLL without constant on a detached target,
 * mean over batch and steps of sum_d [(y - mu)^2 / (2 exp(logvar)) + logvar / 2].
 */
export function clubNll(yCom: tf.Tensor3D, mu: tf.Tensor3D, logvar: tf.Tensor3D): tf.Scalar {
  return tf.tidy(() => {
    const y = stopGradient(yCom);
    const nll = tf.add(tf.div(tf.square(tf.sub(y, mu)), tf.mul(2, tf.exp(logvar))), tf.mul(0.5, logvar));
    return tf.mean(tf.sum(nll, 2));
  });
}

/** L_club: clubNll averaged over modalities, with y = H~com_m and the estimators' outputs. */
export function clubLoss(yCom: PerModality<tf.Tensor3D>, est: PerModality<{ mu: tf.Tensor3D; logvar: tf.Tensor3D }>): tf.Scalar {
  return tf.tidy(() => tf.div(tf.addN(MODALITY_ORDER.map((m) => clubNll(yCom[m], est[m].mu, est[m].logvar))), 3));
}

/** Sum over modalities of f(m). */
function sumOver(f: (m: Modality) => tf.Scalar): tf.Scalar {
  return tf.addN(MODALITY_ORDER.map(f));
}

/** L_diff: vCLUB averaged over modalities; needs the forward pass's CLUB outputs. */
function diffTerm(out: ForwardOutputs): tf.Scalar {
  return tf.div(
    sumOver((m) => {
      const p = out.perModality[m];
      if (!p.club_mu || !p.club_logvar) throw new DarError('ARG_INVALID', `losses: L_diff needs CLUB outputs for ${m}; run forward with mode.club`);
      return vClubUpper(p.Hcom_t, p.club_mu, p.club_logvar);
    }),
    3,
  );
}

/**
 * Every main loss term as a scalar (spec "Losses"). An ablated term is still reported when it
 * can be computed (L_diff is 0 without CLUB outputs) but is left out of total and sel.
 */
export function computeLosses(out: ForwardOutputs, labels: tf.Tensor1D, config: DarConfig, ablations: readonly Ablation[]): { terms: Record<MainLossName, tf.Scalar> } {
  const terms = tf.tidy(() => {
    const off = new Set(ablations);
    const useSim = !off.has('no_sim') && !off.has('no_sim_diff');
    const useDiff = !off.has('no_diff') && !off.has('no_sim_diff');
    const P = out.perModality;
    const task = off.has('no_boot') ? l1(out.y_hat, labels) : tf.add(l1(out.y_hat, labels), l1(out.y_boot, labels));
    const zCom = { l: tf.mean(P.l.Hcom_t, 1), a: tf.mean(P.a.Hcom_t, 1), v: tf.mean(P.v.Hcom_t, 1) } as PerModality<tf.Tensor2D>;
    const zSpec = { l: tf.mean(P.l.Hspec_t, 1), a: tf.mean(P.a.Hspec_t, 1), v: tf.mean(P.v.Hspec_t, 1) } as PerModality<tf.Tensor2D>;
    const sim = tf.add(infoNceCommon(zCom, config.tau), supConSpecific(zSpec, config.tau));
    const hasClub = MODALITY_ORDER.every((m) => P[m].club_mu && P[m].club_logvar);
    const diff = useDiff || hasClub ? diffTerm(out) : tf.scalar(0);
    const re = sumOver((m) => mse(P[m].Ure, stopGradient(P[m].U1t)));
    const recon = sumOver((m) => tf.addN([mse(P[m].Hhat_com, P[m].Hcom), mse(P[m].Hhat_spec, P[m].Hspec), mse(P[m].Uhat1, P[m].U1)]));
    const decoupleParts: tf.Tensor[] = [re];
    if (useSim) decoupleParts.push(tf.mul(config.lambda, sim));
    if (useDiff) decoupleParts.push(tf.mul(config.lambda, diff));
    const totalParts: tf.Tensor[] = [task, tf.mul(config.alpha, tf.addN(decoupleParts))];
    if (!off.has('no_recon')) totalParts.push(tf.mul(config.beta, recon));
    const total = tf.addN(totalParts) as tf.Scalar;
    const sel = useDiff ? tf.sub(total, tf.mul(config.alpha * config.lambda, diff)) : tf.clone(total);
    return { task, sim, diff, re, recon, total, sel } as Record<MainLossName, tf.Scalar>;
  });
  return { terms };
}
