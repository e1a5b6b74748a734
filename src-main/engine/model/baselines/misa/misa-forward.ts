/**
 * MISA's forward pass (MMSA MISA.alignment) on one branch of a batch. Text: the mean of the
 * frozen BERT rows over the text's length (MMSA's masked mean of BERT outputs). Audio and video:
 * two stacked packed BiLSTMs each, packed by the TEXT lengths as MMSA does (it passes the BERT
 * mask's lengths to both), so each reads only its first len(text) frames.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelBatch } from '../../batch';
import { DropoutSites, layerNorm, matMul } from '../../ops/ops';
import type { Linear } from '../../blocks/linear';
import { clampLengths, maskedMean, packedRows } from '../common/batch-input';
import { packWindow, packedBiLstm } from '../common/packed-lstm';
import type { PackWindow } from '../common/packed-lstm';
import type { MisaConfig } from './misa-config';
import type { FusionLayer, MisaModules, Projection, RecurrentEncoder } from './misa-modules';

type Trio = Record<'t' | 'v' | 'a', tf.Tensor2D>;

/** Every tensor MISA's losses read, and the prediction [B, 1]. */
export interface MisaOutputs {
  pred: tf.Tensor2D;
  orig: Trio;
  priv: Trio;
  shared: Trio;
  recon: Trio;
}

/** Train-mode randomness of one pass (null = eval). */
export interface MisaPassMode {
  training: boolean;
  seed: number;
}

function project(p: Projection, x: tf.Tensor2D): tf.Tensor2D {
  return layerNorm(tf.relu(p.linear.apply(x)), p.norm.gamma, p.norm.beta);
}

/** [B, 4u] utterance of one recurrent encoder: [h1 fw, h2 fw, h1 bw, h2 bw] as MMSA's permute/view lays it out. */
function encode(enc: RecurrentEncoder, batch: ModelBatch, m: 'a' | 'v', win: PackWindow, branch: 'corrupted' | 'complete'): tf.Tensor2D {
  const mod = batch.modalities[m];
  const left = packedRows(mod, branch, win.lengths, win.t, 'left');
  const right = packedRows(mod, branch, win.lengths, win.t, 'right');
  const l1 = packedBiLstm(left, right, enc.fw1, enc.bw1, win);
  const normed = tf.mul(layerNorm(l1.seq, enc.norm.gamma, enc.norm.beta), win.valid) as tf.Tensor3D;
  const l2 = packedBiLstm(normed, null, enc.fw2, enc.bw2, win);
  return tf.concat([l1.hFw, l2.hFw, l1.hBw, l2.hBw], 1) as tf.Tensor2D;
}

/** Splits [B, s, h] into heads: [B * H, s, h / H]. */
function heads(x: tf.Tensor, b: number, s: number, nh: number): tf.Tensor3D {
  const hd = x.shape[x.rank - 1] / nh;
  return tf.reshape(tf.transpose(tf.reshape(x, [b, s, nh, hd]), [0, 2, 1, 3]), [b * nh, s, hd]);
}

/** PyTorch's TransformerEncoderLayer (post-norm, ReLU) on tokens [B, s, h] flattened to [B * s, h]. */
function fusionLayer(f: FusionLayer, x: tf.Tensor2D, b: number, s: number, nh: number, drop: DropoutSites): tf.Tensor2D {
  const h = x.shape[1];
  const scale = 1 / Math.sqrt(h / nh);
  const q = heads(tf.mul(f.q.apply(x), scale), b, s, nh);
  const k = heads(f.k.apply(x), b, s, nh);
  const v = heads(f.v.apply(x), b, s, nh);
  const att = drop.apply(tf.softmax(matMul(q, tf.transpose(k, [0, 2, 1]))));
  const ctx = tf.reshape(tf.transpose(tf.reshape(matMul(att, v), [b, nh, s, h / nh]), [0, 2, 1, 3]), [b * s, h]);
  const x1 = layerNorm(tf.add(x, drop.apply(f.out.apply(ctx))), f.norm1.gamma, f.norm1.beta);
  const ff = f.ff2.apply(drop.apply(tf.relu(f.ff1.apply(x1))));
  return layerNorm(tf.add(x1, drop.apply(ff)), f.norm2.gamma, f.norm2.beta);
}

/** The shared/private split, reconstruction and fusion from the three utterance vectors. */
function splitAndFuse(mods: MisaModules, c: MisaConfig, utt: Trio, mode: MisaPassMode): MisaOutputs {
  const orig = { t: project(mods.project.t, utt.t), v: project(mods.project.v, utt.v), a: project(mods.project.a, utt.a) };
  const priv: Trio = { t: tf.sigmoid(mods.priv.t.apply(orig.t)), v: tf.sigmoid(mods.priv.v.apply(orig.v)), a: tf.sigmoid(mods.priv.a.apply(orig.a)) };
  const shared: Trio = { t: tf.sigmoid(mods.shared.apply(orig.t)), v: tf.sigmoid(mods.shared.apply(orig.v)), a: tf.sigmoid(mods.shared.apply(orig.a)) };
  const rec = (l: Linear, m: 't' | 'v' | 'a') => l.apply(tf.add(priv[m], shared[m]) as tf.Tensor2D);
  const recon: Trio = { t: rec(mods.recon.t, 't'), v: rec(mods.recon.v, 'v'), a: rec(mods.recon.a, 'a') };
  const b = utt.t.shape[0];
  const h = c.hidden;
  // tokens in MMSA's stacking order: private t, v, a, then shared t, v, a
  const tokens = tf.reshape(tf.stack([priv.t, priv.v, priv.a, shared.t, shared.v, shared.a], 1), [b * 6, h]) as tf.Tensor2D;
  const tfDrop = new DropoutSites(mode.training, c.transformerDropout, mode.seed);
  const fused = tf.reshape(fusionLayer(mods.fusion, tokens, b, 6, c.heads, tfDrop), [b, 6 * h]) as tf.Tensor2D;
  const headDrop = new DropoutSites(mode.training, c.dropout, mode.seed + 0x9e3779b9);
  const pred: tf.Tensor2D = mods.head2.apply(tf.relu(headDrop.apply(mods.head1.apply(fused))));
  return { pred, orig, priv, shared, recon };
}

/** MISA on one branch of a batch. */
export function misaForward(mods: MisaModules, c: MisaConfig, batch: ModelBatch, branch: 'corrupted' | 'complete', mode: MisaPassMode): MisaOutputs {
  const text = batch.modalities.l;
  // the window every encoder packs to: the longest text of the batch
  const tLen = clampLengths(text.lengths, text.t);
  const t = Math.max(...tLen);
  const win = packWindow(tLen, t);
  const utt = { t: maskedMean(text, branch, tLen), v: encode(mods.rnn.v, batch, 'v', win, branch), a: encode(mods.rnn.a, batch, 'a', win, branch) };
  return splitAndFuse(mods, c, utt, mode);
}
