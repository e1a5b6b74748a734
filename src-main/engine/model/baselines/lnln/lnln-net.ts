/**
 * LNLN's network (public models/lnln.py) on the engine's tensors: feature extractors, the
 * dominant modality completeness check, proxy dominant feature generation (behind a gradient
 * reversal), dominant-modality-based multimodal learning (language encoder, hyper-modality
 * learning, fusion, regression), and, when the complete input is given, the reconstructors and
 * the effectiveness discriminator. Dropout is 0 everywhere in the public code, so train and eval
 * compute the same function.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MODALITIES } from '#contract/dataset';
import type { Modality, PerModality } from '#contract/dataset';
import { Linear } from '../../blocks/linear';
import { custom, linear } from '../../ops/ops';
import { stack0 } from '../../ops/fused';
import { constInit } from '../../params';
import type { ParamStore } from '../../params';
import type { LnlnConfig } from './lnln-config';
import type { LnlnBranch } from './lnln-inputs';
import { CrossTransformer, HyperLayer, LeakyMlp, LnlnTransformer, repeat } from './lnln-modules';
import type { EncoderSizes } from './lnln-modules';

/** What one forward pass yields (the last three only with the complete input). */
export interface LnlnOutputs {
  /** Sentiment prediction [B, 1]. */
  pred: tf.Tensor2D;
  /** Completeness score of the language input [B, 1]. */
  w: tf.Tensor2D;
  /** Effectiveness discriminator logits [2 * B * tokenLen, 2]: dominant rows first, then complete language. */
  disc?: tf.Tensor2D;
  /** Reconstructed and complete features per modality [B, tokenLen, d]. */
  rec?: PerModality<tf.Tensor3D>;
  complete?: PerModality<tf.Tensor3D>;
}

/** Identity forward, gradient times -factor (the public GradientReversalLayer). */
function reverseGradient(x: tf.Tensor3D, factor: number): tf.Tensor3D {
  const f = custom(([xx]) => ({ value: tf.clone(xx), gradFunc: (dy) => [tf.mul(dy, -factor)] }));
  return f(x) as tf.Tensor3D;
}

/** All of LNLN's modules; `forward` is its forward(). */
export class LnlnNet {
  private readonly proj: PerModality<{ lin: Linear; enc: LnlnTransformer }>;
  private readonly proxy: LnlnTransformer;
  private readonly hP: tf.Variable;
  private readonly hHyper: tf.Variable;
  private readonly completeness: { enc: LnlnTransformer; head: LeakyMlp };
  private readonly disc: LeakyMlp;
  private readonly recon: PerModality<LnlnTransformer>;
  private readonly language: LnlnTransformer;
  private readonly hyper: HyperLayer[];
  private readonly fusion: CrossTransformer;
  private readonly regression: Linear;

  constructor(
    store: ParamStore,
    private readonly c: LnlnConfig,
  ) {
    const s: EncoderSizes = { d: c.d, heads: c.heads, dimHead: c.dimHead, mlpDim: c.mlpDim, depth: c.depth };
    const tok = c.tokenLen;
    const proj = (m: Modality) => ({ lin: new Linear(store, `proj.${m}.in`, c.inputDims[m], c.d), enc: new LnlnTransformer(store, `proj.${m}.enc`, c.seqLen[m], tok, s) });
    this.proj = { l: proj('l'), a: proj('a'), v: proj('v') };
    this.proxy = new LnlnTransformer(store, 'proxy', 3 * tok, tok, s);
    this.hP = store.variable('h_p', [1, tok, c.d], constInit(1), 'main');
    this.hHyper = store.variable('h_hyper', [1, tok, c.d], constInit(1), 'main');
    this.completeness = { enc: new LnlnTransformer(store, 'completeness.enc', tok, 1, s), head: new LeakyMlp(store, 'completeness.head', c.d, Math.floor(c.d / 2), 1) };
    this.disc = new LeakyMlp(store, 'discriminator', c.d, c.discHidden, 2);
    const rec = (m: Modality) => new LnlnTransformer(store, `reconstructor.${m}`, tok, null, s);
    this.recon = { l: rec('l'), a: rec('a'), v: rec('v') };
    this.language = new LnlnTransformer(store, 'dmml.language', tok, null, s);
    this.hyper = Array.from({ length: c.hyperDepth }, (_, i) => new HyperLayer(store, `dmml.hyper.layer${i}`, c.d, c.heads));
    this.fusion = new CrossTransformer(store, 'dmml.fusion', tok, tok, s);
    this.regression = new Linear(store, 'dmml.regression', c.d, 1);
  }

  /** A modality's extractor: Linear d_m -> d on the (data) input, then the first tokenLen outputs. */
  private extract(m: Modality, x: tf.Tensor3D): tf.Tensor3D {
    const { lin, enc } = this.proj[m];
    return enc.apply(linear(x, lin.kernel, lin.bias, { constInput: true }), this.c.tokenLen);
  }

  /** LNLN's forward on the corrupted branch, plus reconstruction and discriminator on the complete one. */
  forward(corrupted: LnlnBranch, complete: LnlnBranch | null): LnlnOutputs {
    const b = corrupted.l.shape[0];
    const tok = this.c.tokenLen;
    const h1 = {} as PerModality<tf.Tensor3D>;
    for (const m of MODALITIES) h1[m] = this.extract(m, corrupted[m]);
    const feat = tf.reshape(this.completeness.enc.apply(h1.l, 1), [b, this.c.d]);
    const w = tf.sigmoid(this.completeness.head.apply(feat)) as tf.Tensor2D;
    const proxyIn = tf.concat([repeat(this.hP, b), h1.a, h1.v], 1) as tf.Tensor3D;
    const hP = reverseGradient(this.proxy.apply(proxyIn, tok), this.c.grl);
    const w3 = tf.reshape(w, [b, 1, 1]);
    const hD = tf.add(tf.mul(hP, tf.sub(1, w3)), tf.mul(h1.l, w3)) as tf.Tensor3D;
    const hidden = this.language.hidden(hD);
    let hyper = repeat(this.hHyper, b);
    this.hyper.forEach((layer, i) => (hyper = layer.apply(hidden[i], h1.a, h1.v, hyper)));
    const fused = this.fusion.apply(hyper, hidden[hidden.length - 1]);
    const pooled = tf.mean(tf.slice(fused, [0, 1, 0], [b, tok, this.c.d]), 1) as tf.Tensor2D;
    const out: LnlnOutputs = { pred: this.regression.apply(pooled), w };
    if (!complete) return out;
    const rec = {} as PerModality<tf.Tensor3D>;
    const full = {} as PerModality<tf.Tensor3D>;
    for (const m of MODALITIES) {
      rec[m] = this.recon[m].apply(h1[m]);
      full[m] = this.extract(m, complete[m]);
    }
    const discIn = tf.reshape(stack0([hD, full.l]), [2 * b * tok, this.c.d]);
    return { ...out, disc: this.disc.apply(discIn) as tf.Tensor2D, rec, complete: full };
  }
}
