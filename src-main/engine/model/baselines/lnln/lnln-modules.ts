/**
 * LNLN's building blocks (public models/basic_layers.py), holding their variables in a
 * ParamStore under dotted names that scripts/reference/lnln_torch.py maps onto the public
 * modules: the encoder stack with learned extra tokens and positional embedding
 * (`Transformer`), the cross-modal fusion (`CrossTransformer`) and one hyper-modality layer.
 */
import * as tf from '@tensorflow/tfjs-core';
import { segmentSum } from '../../ops/kernels';
import { custom, matMul, transposeLast } from '../../ops/ops';
import { LayerNorm, Linear } from '../../blocks/linear';
import { constInit, fanInInit, normalInit } from '../../params';
import type { ParamStore } from '../../params';
import { lnlnLayer } from './lnln-layer-op';

/** The sizes every encoder shares. */
export interface EncoderSizes {
  d: number;
  heads: number;
  dimHead: number;
  mlpDim: number;
  depth: number;
}

/** A [dIn, dOut] kernel without bias (PyTorch default init), for q/k/v projections. */
export function kernel(store: ParamStore, name: string, dIn: number, dOut: number): tf.Variable {
  return store.variable(name, [dIn, dOut], fanInInit(dIn), 'main');
}

/** x [..., dIn] @ w on the last axis. */
export function project(x: tf.Tensor, w: tf.Tensor): tf.Tensor {
  const [dIn, dOut] = w.shape as [number, number];
  return tf.reshape(matMul(tf.reshape(x, [-1, dIn]), w), [...x.shape.slice(0, -1), dOut]);
}

/** Positions 0..k-1 of each sample of x [B, T, d] (a row gather: Slice is slow on WASM). */
export function firstPositions(x: tf.Tensor3D, k: number): tf.Tensor3D {
  const [b, t, d] = x.shape;
  if (k === t) return x;
  const idx = Int32Array.from({ length: b * k }, (_, r) => Math.floor(r / k) * t + (r % k));
  const f = custom(([xx]) => ({
    value: tf.tidy(() => tf.reshape(segmentSum(tf.reshape(xx, [b * t, d]), tf.tensor1d(idx, 'int32'), tf.range(0, b * k, 1, 'int32') as tf.Tensor1D, b * k), [b, k, d])),
    gradFunc: (dy) => [tf.pad(dy, [[0, 0], [0, t - k], [0, 0]])],
  }));
  return f(x) as tf.Tensor3D;
}

/** One encoder layer's variables (LN_q, LN_k, LN_v, Wq, Wk, Wv, out, LN2, FFN) and its op. */
export class EncoderLayer {
  private readonly weights: tf.Variable[];

  constructor(
    store: ParamStore,
    name: string,
    private readonly s: EncoderSizes,
  ) {
    const inner = s.heads * s.dimHead;
    const norms = ['ln_q', 'ln_k', 'ln_v'].flatMap((n) => {
      const ln = new LayerNorm(store, `${name}.${n}`, s.d);
      return [ln.gamma, ln.beta];
    });
    const qkv = ['wq', 'wk', 'wv'].map((n) => kernel(store, `${name}.${n}`, s.d, inner));
    const out = new Linear(store, `${name}.out`, inner, s.d);
    const ln2 = new LayerNorm(store, `${name}.ln2`, s.d);
    const ff1 = new Linear(store, `${name}.ff1`, s.d, s.mlpDim);
    const ff2 = new Linear(store, `${name}.ff2`, s.mlpDim, s.d);
    this.weights = [...norms, ...qkv, out.kernel, out.bias, ln2.gamma, ln2.beta, ff1.kernel, ff1.bias, ff2.kernel, ff2.bias];
  }

  /** Queries and residual from xq, keys and values from xkv (the same tensor for self-attention). */
  apply(xq: tf.Tensor3D, xkv: tf.Tensor3D): tf.Tensor3D {
    return lnlnLayer(xq, xkv, this.weights, this.s.heads, this.s.dimHead);
  }
}

/** `n` copies of a [1, T, d] parameter stacked to [n, T, d] (a broadcast: Tile has no gradient here). */
export function repeat(p: tf.Tensor, n: number): tf.Tensor3D {
  return tf.mul(tf.ones([n, 1, 1]), p) as tf.Tensor3D;
}

/** LeakyReLU with its gradient (the engine registers no LeakyRelu gradient). */
const leakyRelu = custom(([x], save) => {
  save([x]);
  return {
    value: tf.leakyRelu(x, 0.1),
    gradFunc: (dy, [sx]) => [tf.mul(dy, tf.where(tf.greaterEqual(sx, 0), tf.onesLike(sx), tf.fill(sx.shape, 0.1)))],
  };
});

/**
 * The public `Transformer`: `tokenLen` learned extra tokens (zeros) in front of the input, a
 * learned positional embedding (N(0, 1)) over both, then `depth` encoder layers; no final norm.
 */
export class LnlnTransformer {
  readonly pos: tf.Variable;
  readonly extra: tf.Variable | null;
  private readonly layers: EncoderLayer[];

  constructor(store: ParamStore, name: string, numFrames: number, tokenLen: number | null, s: EncoderSizes) {
    const tok = tokenLen ?? 0;
    this.pos = store.variable(`${name}.pos`, [1, numFrames + tok, s.d], normalInit(1), 'main');
    this.extra = tokenLen ? store.variable(`${name}.extra`, [1, tokenLen, s.d], constInit(0), 'main') : null;
    this.layers = Array.from({ length: s.depth }, (_, i) => new EncoderLayer(store, `${name}.layer${i}`, s));
  }

  private embed(x: tf.Tensor3D): tf.Tensor3D {
    const withTokens = this.extra ? tf.concat([repeat(this.extra, x.shape[0]), x], 1) : x;
    return tf.add(withTokens, this.pos) as tf.Tensor3D;
  }

  /**
   * The last layer's output; with `keep`, only its first `keep` positions (the same values: only
   * attention mixes positions, and keys and values still see every position).
   */
  apply(x: tf.Tensor3D, keep?: number): tf.Tensor3D {
    let h = this.embed(x);
    this.layers.forEach((layer, i) => {
      const last = i === this.layers.length - 1;
      h = layer.apply(last && keep ? firstPositions(h, keep) : h, h);
    });
    return h;
  }

  /** The public `save_hidden` mode: the embedded input, then each layer's output. */
  hidden(x: tf.Tensor3D): tf.Tensor3D[] {
    const out = [this.embed(x)];
    for (const layer of this.layers) out.push(layer.apply(out[out.length - 1], out[out.length - 1]));
    return out;
  }
}

/** Multi-head scaled dot-product attention of projected q [B, n, h*dh], k, v [B, m, h*dh]. */
function attention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, heads: number): tf.Tensor3D {
  const [b, n, inner] = q.shape as number[];
  const dh = inner / heads;
  const split = (x: tf.Tensor) => tf.reshape(tf.transpose(tf.reshape(x, [b, -1, heads, dh]), [0, 2, 1, 3]), [b * heads, -1, dh]);
  const scores = tf.mul(matMul(split(q), transposeLast(split(k))), 1 / Math.sqrt(dh));
  const ctx = matMul(tf.softmax(scores), split(v));
  return tf.reshape(tf.transpose(tf.reshape(ctx, [b, heads, n, dh]), [0, 2, 1, 3]), [b, n, inner]) as tf.Tensor3D;
}

/**
 * One `HhyperLearningLayer` under `PreNorm_hyper`: all four inputs are normalised, the dominant
 * feature queries audio and visual separately (heads of width d / heads), and the shift is added
 * to the NORMALISED hyper feature (the public code's in-place `h_hyper += shift` on the norm's output).
 */
export class HyperLayer {
  private readonly norms: LayerNorm[];
  private readonly w: Record<'q' | 'k_a' | 'k_v' | 'v_a' | 'v_v', tf.Variable>;
  private readonly out: Linear;

  constructor(
    store: ParamStore,
    name: string,
    d: number,
    private readonly heads: number,
  ) {
    this.norms = [1, 2, 3, 4].map((i) => new LayerNorm(store, `${name}.norm${i}`, d));
    const mk = (n: string) => kernel(store, `${name}.w${n}`, d, d);
    this.w = { q: mk('q'), k_a: mk('k_a'), k_v: mk('k_v'), v_a: mk('v_a'), v_v: mk('v_v') };
    this.out = new Linear(store, `${name}.out`, d, d);
  }

  /** The new hyper feature from the dominant feature, audio, visual and the current hyper feature. */
  apply(hDom: tf.Tensor3D, hA: tf.Tensor3D, hV: tf.Tensor3D, hHyper: tf.Tensor3D): tf.Tensor3D {
    const [dom, a, v, hyper] = [hDom, hA, hV, hHyper].map((x, i) => this.norms[i].apply(x));
    const q = project(dom, this.w.q);
    const fromA = attention(q, project(a, this.w.k_a), project(a, this.w.v_a), this.heads);
    const fromV = attention(q, project(v, this.w.k_v), project(v, this.w.v_v), this.heads);
    return tf.add(hyper, this.out.apply(tf.add(fromA, fromV))) as tf.Tensor3D;
  }
}

/**
 * The public `CrossTransformer`: one shared zero extra token in front of source and target, a
 * positional embedding each, then layers whose queries come from the target. Returns the target.
 */
export class CrossTransformer {
  readonly posS: tf.Variable;
  readonly posT: tf.Variable;
  readonly extra: tf.Variable;
  private readonly layers: EncoderLayer[];

  constructor(store: ParamStore, name: string, srcLen: number, tgtLen: number, s: EncoderSizes) {
    this.posS = store.variable(`${name}.pos_s`, [1, srcLen + 1, s.d], normalInit(1), 'main');
    this.posT = store.variable(`${name}.pos_t`, [1, tgtLen + 1, s.d], normalInit(1), 'main');
    this.extra = store.variable(`${name}.extra`, [1, 1, s.d], constInit(0), 'main');
    this.layers = Array.from({ length: s.depth }, (_, i) => new EncoderLayer(store, `${name}.layer${i}`, s));
  }

  /** Target [B, tgtLen + 1, d] after every layer attended from it to the source. */
  apply(source: tf.Tensor3D, target: tf.Tensor3D): tf.Tensor3D {
    const extra = repeat(this.extra, source.shape[0]);
    const src = tf.add(tf.concat([extra, source], 1), this.posS) as tf.Tensor3D;
    let tgt = tf.add(tf.concat([extra, target], 1), this.posT) as tf.Tensor3D;
    for (const layer of this.layers) tgt = layer.apply(tgt, src);
    return tgt;
  }
}

/** Linear -> LeakyReLU(0.1) -> Linear (the discriminator and the completeness head's first part). */
export class LeakyMlp {
  readonly l1: Linear;
  readonly l2: Linear;

  constructor(store: ParamStore, name: string, dIn: number, dHidden: number, dOut: number) {
    this.l1 = new Linear(store, `${name}.l1`, dIn, dHidden);
    this.l2 = new Linear(store, `${name}.l2`, dHidden, dOut);
  }

  /** Applies the MLP on the last axis. */
  apply<T extends tf.Tensor>(x: T): T {
    return this.l2.apply(leakyRelu(this.l1.apply(x)) as T);
  }
}
