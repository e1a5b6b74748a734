import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { DropoutSites } from '../ops/ops';
import { maxAbsDiff, refGelu, refLayerNorm, refLinear, refMatMul, refSoftmax } from '../../../../testing/engine/model/ops-reference';
import { ParamStore } from '../params';
import { BiLstm, runBiLstms } from './bi-lstm';
import type { Linear, LayerNorm } from './linear';
import type { Mlp } from './mlp';
import { CrossModalBlock, TransformerBlock } from './transformer-block';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const noDrop = new DropoutSites(false, 0.1, 0);
const data = (t: tf.Tensor) => Array.from(t.dataSync());
const lin = (x: number[], l: Linear, dIn: number, dOut: number) => refLinear(x, data(l.kernel), data(l.bias), dIn, dOut);
const ln = (x: number[], n: LayerNorm, d: number) => refLayerNorm(x, data(n.gamma), data(n.beta), d);
const mlp = (x: number[], m: Mlp, dIn: number, dH: number, dOut: number) => lin(lin(x, m.dense1, dIn, dH).map(refGelu), m.dense2, dH, dOut);
const add = (a: number[], b: number[]) => a.map((v, i) => v + b[i]);

/** Multi-head attention of one sample: q [tq, d], kv [tk, d] (already normalised). */
function refAttention(block: TransformerBlock | CrossModalBlock, q: number[], kv: number[], d: number, heads: number): number[] {
  const tq = q.length / d;
  const tk = kv.length / d;
  const dh = d / heads;
  const [Q, K, V] = [lin(q, block.attn.query, d, d), lin(kv, block.attn.key, d, d), lin(kv, block.attn.value, d, d)];
  const ctx = new Array<number>(tq * d).fill(0);
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < tq; i++) {
      const scores = Array.from({ length: tk }, (_, j) => {
        let s = 0;
        for (let c = 0; c < dh; c++) s += Q[i * d + h * dh + c] * K[j * d + h * dh + c];
        return s / Math.sqrt(dh);
      });
      const p = refSoftmax(scores);
      for (let j = 0; j < tk; j++) for (let c = 0; c < dh; c++) ctx[i * d + h * dh + c] += p[j] * V[j * d + h * dh + c];
    }
  }
  return lin(ctx, block.attn.output, d, d);
}

/** Pre-LN encoder layer on one sample [t, d]. */
function refBlock(b: TransformerBlock, x: number[], d: number, heads: number): number[] {
  const h = ln(x, b.ln1, d);
  const x1 = add(x, refAttention(b, h, h, d, heads));
  return add(x1, mlp(ln(x1, b.ln2, d), b.ffn, d, 2 * d, d));
}

/** Cross-modal block on one sample: q [tq, d] from dst, kv [tk, d] from src. */
function refCross(b: CrossModalBlock, q: number[], kv: number[], d: number, heads: number): number[] {
  const x1 = add(q, refAttention(b, ln(q, b.lnQ, d), ln(kv, b.lnKv, d), d, heads));
  return add(x1, mlp(ln(x1, b.ln2, d), b.ffn, d, 2 * d, d));
}

const sample = (x: tf.Tensor3D, i: number) => data(x).slice(i * x.shape[1] * x.shape[2], (i + 1) * x.shape[1] * x.shape[2]);

describe('TransformerBlock', () => {
  const d = 8;
  const heads = 2;
  const store = new ParamStore(1);
  const block = new TransformerBlock(store, 'enc_com.l', d, heads);
  const x = tf.randomNormal([3, 5, d], 0, 1, 'float32', 2) as tf.Tensor3D;

  it('is a pre-LN encoder layer with residuals, FFN d -> 2d -> d and no final LayerNorm', () => {
    const y = block.apply(x, noDrop);
    for (let i = 0; i < 3; i++) expect(maxAbsDiff(sample(y, i), refBlock(block, sample(x, i), d, heads))).toBeLessThan(1e-4);
  });

  it('names its variables in the spec style', () => {
    expect(store.names()).toEqual(
      ['attn.key.bias', 'attn.key.kernel', 'attn.output.bias', 'attn.output.kernel', 'attn.query.bias', 'attn.query.kernel', 'attn.value.bias', 'attn.value.kernel', 'ffn.dense1.bias', 'ffn.dense1.kernel', 'ffn.dense2.bias', 'ffn.dense2.kernel', 'ln1.beta', 'ln1.gamma', 'ln2.beta', 'ln2.gamma'].map((n) => `enc_com.l.${n}`),
    );
    expect(store.get('enc_com.l.ffn.dense1.kernel').shape).toEqual([d, 2 * d]);
    expect(Array.from(store.get('enc_com.l.attn.query.bias').dataSync())).toEqual(new Array(d).fill(0));
  });

  it('computes only the last position when asked, equal to the full output there', () => {
    const full = block.apply(x, noDrop);
    const last = block.apply(x, noDrop, true);
    expect(last.shape).toEqual([3, 1, d]);
    expect(maxAbsDiff(last.dataSync(), tf.slice(full, [0, 4, 0], [3, 1, d]).dataSync())).toBeLessThan(1e-5);
  });

  it('applies dropout only to the two sublayer outputs, and only in training', () => {
    const drop = new DropoutSites(true, 0.5, 3);
    const y1 = block.apply(x, drop);
    expect(maxAbsDiff(y1.dataSync(), block.apply(x, noDrop).dataSync())).toBeGreaterThan(1e-2);
    expect(maxAbsDiff(y1.dataSync(), block.apply(x, new DropoutSites(true, 0.5, 3)).dataSync())).toBe(0);
    expect(maxAbsDiff(block.apply(x, new DropoutSites(false, 0.5, 3)).dataSync(), block.apply(x, noDrop).dataSync())).toBe(0);
  });
});

describe('CrossModalBlock', () => {
  const d = 8;
  const store = new ParamStore(2);
  const block = new CrossModalBlock(store, 'fuse_spec.l_v', d, 2);
  const dst = tf.randomNormal([2, 4, d], 0, 1, 'float32', 4) as tf.Tensor3D;
  const src = tf.randomNormal([2, 6, d], 0, 1, 'float32', 5) as tf.Tensor3D;

  it('takes queries from dst and keys/values from src, pre-LN on both', () => {
    const y = block.apply(dst, src, noDrop);
    for (let i = 0; i < 2; i++) expect(maxAbsDiff(sample(y, i), refCross(block, sample(dst, i), sample(src, i), d, 2))).toBeLessThan(1e-4);
    const last = block.apply(dst, src, noDrop, true);
    expect(maxAbsDiff(last.dataSync(), tf.slice(y, [0, 3, 0], [2, 1, d]).dataSync())).toBeLessThan(1e-5);
    expect(store.names().filter((n) => n.includes('.ln_'))).toEqual(['fuse_spec.l_v.ln_kv.beta', 'fuse_spec.l_v.ln_kv.gamma', 'fuse_spec.l_v.ln_q.beta', 'fuse_spec.l_v.ln_q.gamma']);
  });
});

/** One direction of an LSTM over rows xs (gate order i, f, g, o). */
function refLstm(xs: number[][], k: number[], r: number[], b: number[], d: number, u: number): number[][] {
  let h = new Array<number>(u).fill(0);
  let c = new Array<number>(u).fill(0);
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  return xs.map((x) => {
    const z = add(refMatMul(x, k, 1, d, 4 * u), refMatMul(h, r, 1, u, 4 * u)).map((v, j) => v + b[j]);
    c = c.map((cv, j) => sig(z[u + j]) * cv + sig(z[j]) * Math.tanh(z[2 * u + j]));
    h = c.map((cv, j) => sig(z[3 * u + j]) * Math.tanh(cv));
    return h;
  });
}

describe('BiLstm', () => {
  const d = 6;
  const t = 5;
  const store = new ParamStore(3);
  const lstms = [new BiLstm(store, 'club.l.lstm', d), new BiLstm(store, 'club.a.lstm', d)];
  const xs = [0, 1].map((i) => tf.randomNormal([2, t, d], 0, 1, 'float32', 10 + i) as tf.Tensor3D);

  it('concatenates a forward and a backward LSTM of d/2 units per step', () => {
    const [y] = runBiLstms([lstms[0]], [xs[0]]);
    expect(y.shape).toEqual([2, t, d]);
    const l = lstms[0];
    for (let i = 0; i < 2; i++) {
      const rows = Array.from({ length: t }, (_, s) => sample(xs[0], i).slice(s * d, (s + 1) * d));
      const fw = refLstm(rows, data(l.fw.kernel), data(l.fw.recurrent), data(l.fw.bias), d, d / 2);
      const bw = refLstm([...rows].reverse(), data(l.bw.kernel), data(l.bw.recurrent), data(l.bw.bias), d, d / 2).reverse();
      const expected = rows.flatMap((_, s) => [...fw[s], ...bw[s]]);
      expect(maxAbsDiff(sample(y, i), expected)).toBeLessThan(1e-5);
    }
  });

  it('gives the same outputs and gradients run together or one by one', () => {
    const vars = store.names().map((n) => store.get(n));
    const together = tf.variableGrads(() => tf.addN(runBiLstms(lstms, xs).map((y, i) => tf.sum(tf.mul(y, i + 1)))) as tf.Scalar, vars);
    const alone = tf.variableGrads(() => tf.addN(lstms.map((l, i) => tf.sum(tf.mul(runBiLstms([l], [xs[i]])[0], i + 1)))) as tf.Scalar, vars);
    expect(Math.abs(together.value.dataSync()[0] - alone.value.dataSync()[0])).toBeLessThan(1e-4);
    for (const v of vars) expect(maxAbsDiff(together.grads[v.name].dataSync(), alone.grads[v.name].dataSync())).toBeLessThan(1e-5);
    expect(store.get('club.a.lstm.bw.recurrent_kernel').shape).toEqual([d / 2, 2 * d]);
  });
});
