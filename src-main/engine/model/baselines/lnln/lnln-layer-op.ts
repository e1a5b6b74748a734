/**
 * One layer of LNLN's encoders (public basic_layers.py: PreNorm_qkv(Attention) then
 * PreNorm(FeedForward), both residual) as ONE differentiable op with a hand-written backward:
 *   x1  = xq + Wo(MHA(LN_q(xq) Wq, LN_k(xkv) Wk, LN_v(xkv) Wv)) + bo
 *   out = x1 + W2 GELU(W1 LN2(x1) + c1) + c2
 * Three separate LayerNorms feed q, k and v even in self-attention, q/k/v have no bias, and the
 * attention is heads x dimHead wide (8 x 64 = 512 for d = 128), as the public code builds it.
 * LNLN attends over every padded frame (500 visual frames at MOSI's shapes), so the attention
 * weights of one layer would take ~0.5 GB at B = 64: the op keeps only its inputs and, chunk by
 * chunk of samples, recomputes the forward pass inside the backward one.
 */
import * as tf from '@tensorflow/tfjs-core';
import { lnBackward, lnForward, mm, mmBias, rowSum, takeChunks, tr2, weightGrad } from '../../ops/kernels';
import { custom } from '../../ops/ops';
import { attnBackward, attnForward } from '../../blocks/attention-core';
import type { AttnShape } from '../../blocks/attention-core';

/** Floats of attention weights one chunk may hold (16 MB). */
const CHUNK_FLOATS = 1 << 22;

/** Weights in op order: [gq, bq, gk, bk, gv, bv, Wq, Wk, Wv, Wo, bo, g2, b2, W1, c1, W2, c2]. */
export type LayerWeights = tf.Tensor[];

/** GELU (exact erf form) and its derivative; the recomputation runs off the tape, so no tape tricks. */
function geluParts(x: tf.Tensor): { y: tf.Tensor; dydx: tf.Tensor } {
  const cdf = tf.mul(tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1), 0.5);
  const pdf = tf.mul(tf.exp(tf.mul(tf.square(x), -0.5)), 1 / Math.sqrt(2 * Math.PI));
  return { y: tf.mul(x, cdf), dydx: tf.add(cdf, tf.mul(x, pdf)) };
}

type Saved = Record<string, tf.Tensor>;

/** Forward of one chunk on rows xq [n * Tq, d], xkv [n * Tk, d]: the output and what backward reads. */
function forward(xq: tf.Tensor, xkv: tf.Tensor, w: tf.Tensor[], att: AttnShape): { out: tf.Tensor; sv: Saved } {
  const [gq, bq, gk, bk, gv, bv, wq, wk, wv, wo, bo, g2, b2, w1, c1, w2, c2] = w;
  const lq = lnForward(xq, gq, bq);
  const lk = lnForward(xkv, gk, bk);
  const lv = lnForward(xkv, gv, bv);
  const [q, k, v] = [mm(lq.y, wq), mm(lk.y, wk), mm(lv.y, wv)];
  const { ctx, a } = attnForward(q, k, v, att);
  const x1 = tf.add(xq, mmBias(ctx, wo, bo));
  const l2 = lnForward(x1, g2, b2);
  const f1 = mmBias(l2.y, w1, c1);
  const { y: act, dydx } = geluParts(f1);
  const out = tf.add(x1, mmBias(act, w2, c2));
  const sv = { lq: lq.y, xq: lq.xhat, rq: lq.rstd, lk: lk.y, xk: lk.xhat, rk: lk.rstd, lv: lv.y, xv: lv.xhat, rv: lv.rstd };
  return { out, sv: { ...sv, q, k, v, a, ctx, x2: l2.xhat, r2: l2.rstd, h2: l2.y, dydx, act } };
}

/** Gradients [dxq, dxkv, ...weights] of one chunk from dOut rows. */
function backward(dOut: tf.Tensor, sv: Saved, w: tf.Tensor[], att: AttnShape): tf.Tensor[] {
  const [gq, , gk, , gv, , wq, wk, wv, wo, , g2, , w1, , w2] = w;
  const df1 = tf.mul(mm(dOut, tr2(w2)), sv.dydx);
  const ln2 = lnBackward(mm(df1, tr2(w1)), sv.x2, sv.r2, g2);
  const dx1 = tf.add(dOut, ln2.dx);
  const { dq, dk, dv } = attnBackward(mm(dx1, tr2(wo)), sv.q, sv.k, sv.v, sv.a, att);
  const lq = lnBackward(mm(dq, tr2(wq)), sv.xq, sv.rq, gq);
  const lk = lnBackward(mm(dk, tr2(wk)), sv.xk, sv.rk, gk);
  const lv = lnBackward(mm(dv, tr2(wv)), sv.xv, sv.rv, gv);
  return [
    tf.add(dx1, lq.dx),
    tf.add(lk.dx, lv.dx),
    lq.dgamma, lq.dbeta, lk.dgamma, lk.dbeta, lv.dgamma, lv.dbeta,
    weightGrad(sv.lq, dq), weightGrad(sv.lk, dk), weightGrad(sv.lv, dv),
    weightGrad(sv.ctx, dx1), rowSum(dx1),
    ln2.dgamma, ln2.dbeta,
    weightGrad(sv.h2, df1), rowSum(df1), weightGrad(sv.act, dOut), rowSum(dOut),
  ];
}

/** Sample ranges [s0, s1) whose attention weights fit `budget` floats. */
function chunks(b: number, perSample: number, budget: number): [number, number][] {
  const size = Math.max(1, Math.floor(budget / perSample));
  const out: [number, number][] = [];
  for (let s = 0; s < b; s += size) out.push([s, Math.min(b, s + size)]);
  return out;
}

/** Rows of samples s0..s1 of x [B, T, d] as [(s1 - s0) * T, d] (a row gather: tf.slice is slow on WASM). */
function rowsOf(x: tf.Tensor, s0: number, s1: number): tf.Tensor {
  const [b, t, d] = x.shape as number[];
  const part = s0 === 0 && s1 === b ? x : takeChunks(x, s0, s1 - s0, b);
  return tf.reshape(part, [(s1 - s0) * t, d]);
}

/** Adds the chunk's weight gradients into the running sums (disposing the replaced sums). */
function accumulate(sums: tf.Tensor[] | null, grads: tf.Tensor[]): tf.Tensor[] {
  if (!sums) return grads;
  const next = sums.map((s, i) => tf.add(s, grads[i]));
  tf.dispose([...sums, ...grads]);
  return next;
}

/**
 * Runs the layer with queries (and residual) xq [B, Tq, d] over keys/values xkv [B, Tk, d]; for
 * self-attention pass the same tensor twice (tfjs adds the two gradients). Returns [B, Tq, d].
 * `chunkFloats` bounds the attention weights held at once (tests make it small).
 */
export function lnlnLayer(xq: tf.Tensor3D, xkv: tf.Tensor3D, weights: LayerWeights, heads: number, dimHead: number, chunkFloats = CHUNK_FLOATS): tf.Tensor3D {
  const [b, tq, d] = xq.shape;
  const tk = xkv.shape[1];
  const parts = chunks(b, heads * tq * tk, chunkFloats);
  const shape = (n: number): AttnShape => ({ b: n, tq, tk, heads, dh: dimHead });
  const f = custom((args, save) => {
    const [q3, kv3, ...w] = args;
    save([q3, kv3]);
    const outs = parts.map(([s0, s1]) => tf.tidy(() => forward(rowsOf(q3, s0, s1), rowsOf(kv3, s0, s1), w, shape(s1 - s0)).out));
    const value = tf.reshape(outs.length === 1 ? outs[0] : tf.concat(outs, 0), [b, tq, d]);
    return {
      value,
      gradFunc: (dy, [sq, skv]) => {
        let wSums: tf.Tensor[] | null = null;
        const dxq: tf.Tensor[] = [];
        const dxkv: tf.Tensor[] = [];
        for (const [s0, s1] of parts) {
          const g = tf.tidy(() => {
            const { sv } = forward(rowsOf(sq, s0, s1), rowsOf(skv, s0, s1), w, shape(s1 - s0));
            return backward(rowsOf(dy, s0, s1), sv, w, shape(s1 - s0));
          });
          dxq.push(g[0]);
          dxkv.push(g[1]);
          wSums = accumulate(wSums, g.slice(2));
        }
        const join = (xs: tf.Tensor[], t: number) => tf.reshape(xs.length === 1 ? xs[0] : tf.concat(xs, 0), [b, t, d]);
        return [join(dxq, tq), join(dxkv, tk), ...wSums!];
      },
    };
  });
  return f(xq, xkv, ...weights) as tf.Tensor3D;
}
