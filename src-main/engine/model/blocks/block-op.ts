/**
 * A whole pre-LN encoder layer (self-attention) or cross-modal layer as ONE differentiable op
 * with a hand-written backward pass: ~100 kernels per layer instead of ~400 tape nodes, and only
 * the tensors the backward pass reads are kept (the tape would keep every op's inputs).
 *   self : h = LN1(x);                 x1 = x + Drop(MHA(h, h));   out = x1 + Drop(FFN(LN2(x1)))
 *   cross: hq = LN_q(x), hkv = LN_kv(src); x1 = x + Drop(MHA(hq, hkv)); out likewise
 * With `lastOnly` only the last query position is computed (keys and values still see all).
 */
import * as tf from '@tensorflow/tfjs-core';
import { cdfParts, geluBackward, lnBackward, lnForward, mm, mmBias, putChunks, rowSum, takeChunks, tr2, weightGrad } from '../ops/kernels';
import { custom } from '../ops/ops';
import { attnBackward, attnForward } from './attention-core';
import type { AttnShape } from './attention-core';

/**
 * The layer's weights in op order: norms ([g1, b1] self or [gq, bq, gkv, bkv] cross), then
 * [Wq, bq, Wk, bk, Wv, bv, Wo, bo], [g2, b2], [W1, b1, W2, b2].
 */
export type BlockWeights = tf.Tensor[];

/** How to run the layer. */
export interface BlockCall {
  heads: number;
  lastOnly: boolean;
  /** Dropout masks of the attention and FFN outputs, [B, Tq, d] each, or null (no dropout). */
  masks: [tf.Tensor | null, tf.Tensor | null];
}

/** Row T-1 of each sample of rows [B * T, d] -> [B, d]. */
function lastRows(x: tf.Tensor, b: number, t: number): tf.Tensor2D {
  const d = (x.shape as number[])[1];
  return tf.reshape(takeChunks(tf.transpose(tf.reshape(x, [b, t, d]), [1, 0, 2]), t - 1, 1, t), [b, d]);
}

/** Inverse of lastRows: g [B, d] at row T-1 of each sample, zeros elsewhere -> [B * T, d]. */
function scatterLast(g: tf.Tensor, b: number, t: number): tf.Tensor2D {
  const d = (g.shape as number[])[1];
  return tf.reshape(tf.transpose(tf.reshape(putChunks(g, t - 1, 1, t), [t, b, d]), [1, 0, 2]), [b * t, d]);
}

const maybeMul = (x: tf.Tensor, m: tf.Tensor | undefined): tf.Tensor => (m ? tf.mul(x, m) : x);

type Saved = Record<string, tf.Tensor>;

interface Geometry {
  b: number;
  tx: number;
  cross: boolean;
  call: BlockCall;
  att: AttnShape;
}

/** Forward pass: the output rows and the named tensors the backward pass needs. */
function forward(x: tf.Tensor, src: tf.Tensor | null, w: tf.Tensor[], gm: Geometry): { out: tf.Tensor; keep: Saved } {
  const { b, tx, cross, call, att } = gm;
  const [wq, bq, wk, bk, wv, bv, wo, bo, g2, be2, w1, c1, w2, c2] = w.slice(cross ? 4 : 2);
  const keep: Saved = {};
  const res = call.lastOnly ? lastRows(x, b, tx) : x;
  let hq: tf.Tensor;
  let hkv: tf.Tensor;
  if (cross) {
    const lq = lnForward(res, w[0], w[1]);
    const lkv = lnForward(src!, w[2], w[3]);
    Object.assign(keep, { xhatQ: lq.xhat, rstdQ: lq.rstd, xhatKv: lkv.xhat, rstdKv: lkv.rstd });
    [hq, hkv] = [lq.y, lkv.y];
  } else {
    const l1 = lnForward(x, w[0], w[1]);
    Object.assign(keep, { xhat1: l1.xhat, rstd1: l1.rstd });
    [hq, hkv] = [call.lastOnly ? lastRows(l1.y, b, tx) : l1.y, l1.y];
  }
  const [q, k, v] = [mmBias(hq, wq, bq), mmBias(hkv, wk, bk), mmBias(hkv, wv, bv)];
  const { ctx, a } = attnForward(q, k, v, att);
  const [m1, m2] = call.masks.map((m) => (m ? tf.reshape(m, [-1, m.shape[m.rank - 1]]) : undefined));
  const x1 = tf.add(res, maybeMul(mmBias(ctx, wo, bo), m1));
  const l2 = lnForward(x1, g2, be2);
  const f1 = mmBias(l2.y, w1, c1);
  const { cdf, s } = cdfParts(f1);
  const act = tf.mul(f1, cdf);
  const out = tf.add(x1, maybeMul(mmBias(act, w2, c2), m2));
  Object.assign(keep, { hq, hkv, q, k, v, a, ctx, xhat2: l2.xhat, rstd2: l2.rstd, g: l2.y, f1, s, cdf, act });
  if (m1) keep.m1 = m1;
  if (m2) keep.m2 = m2;
  return { out, keep };
}

/** Backward pass: gradients of [x, (src), ...weights] in op order from dOut rows. */
function backward(dOut: tf.Tensor, sv: Saved, w: tf.Tensor[], gm: Geometry): tf.Tensor[] {
  const { b, tx, cross, call, att } = gm;
  const [wq, , wk, , wv, , wo, , g2, , w1, , w2] = w.slice(cross ? 4 : 2);
  const df2 = maybeMul(dOut, sv.m2);
  const dact = mm(df2, tr2(w2));
  const df1 = geluBackward(dact, sv.f1, sv.s, sv.cdf);
  const ln2 = lnBackward(mm(df1, tr2(w1)), sv.xhat2, sv.rstd2, g2);
  const dx1 = tf.add(dOut, ln2.dx);
  const da = maybeMul(dx1, sv.m1);
  const dctx = mm(da, tr2(wo));
  const { dq, dk, dv } = attnBackward(dctx, sv.q, sv.k, sv.v, sv.a, att);
  const hkvT = tr2(sv.hkv);
  const dhq = mm(dq, tr2(wq));
  const dhkv = tf.add(mm(dk, tr2(wk)), mm(dv, tr2(wv)));
  const dWq = !cross && !call.lastOnly ? mm(hkvT, dq) : weightGrad(sv.hq, dq);
  const attnGrads = [dWq, rowSum(dq), mm(hkvT, dk), rowSum(dk), mm(hkvT, dv), rowSum(dv), weightGrad(sv.ctx, da), rowSum(da)];
  const rest = [ln2.dgamma, ln2.dbeta, weightGrad(sv.g, df1), rowSum(df1), weightGrad(sv.act, df2), rowSum(df2)];
  const widen = (g: tf.Tensor) => (call.lastOnly ? scatterLast(g, b, tx) : g);
  if (cross) {
    const lq = lnBackward(dhq, sv.xhatQ, sv.rstdQ, w[0]);
    const lkv = lnBackward(dhkv, sv.xhatKv, sv.rstdKv, w[2]);
    return [widen(tf.add(dx1, lq.dx)), lkv.dx, lq.dgamma, lq.dbeta, lkv.dgamma, lkv.dbeta, ...attnGrads, ...rest];
  }
  const l1 = lnBackward(tf.add(dhkv, widen(dhq)), sv.xhat1, sv.rstd1, w[0]);
  return [tf.add(l1.dx, widen(dx1)), l1.dgamma, l1.dbeta, ...attnGrads, ...rest];
}

/**
 * Runs the layer on x [B, T, d] (queries and residual; keys/values too without `src`) and, for
 * a cross-modal layer, src [B, Tk, d]. Returns [B, T or 1, d].
 */
export function blockOp(x: tf.Tensor3D, src: tf.Tensor3D | null, weights: BlockWeights, call: BlockCall): tf.Tensor3D {
  const [b, tx, d] = x.shape;
  const cross = src !== null;
  const tq = call.lastOnly ? 1 : tx;
  const gm: Geometry = { b, tx, cross, call, att: { b, tq, tk: src ? src.shape[1] : tx, heads: call.heads, dh: d / call.heads } };
  const nIn = cross ? 2 : 1;
  const f = custom((args, save) => {
    const w = args.slice(nIn);
    const x2 = tf.reshape(args[0], [b * tx, d]);
    const s2 = cross ? tf.reshape(args[1], [-1, d]) : null;
    const { out, keep } = forward(x2, s2, w, gm);
    const names = Object.keys(keep);
    save(names.map((n) => keep[n]));
    return {
      value: tf.reshape(out, [b, tq, d]),
      gradFunc: (dy, saved) => {
        const sv = Object.fromEntries(names.map((n, i) => [n, saved[i]]));
        const grads = backward(tf.reshape(dy, [b * tq, d]), sv, w, gm);
        return [tf.reshape(grads[0], [b, tx, d]), ...(cross ? [tf.reshape(grads[1], src.shape)] : []), ...grads.slice(nIn)];
      },
    };
  });
  return f(...(cross ? [x, src] : [x]), ...weights) as tf.Tensor3D;
}
