/** Pre-LN transformer encoder layer and the cross-modal variant (spec "Architecture"). */
import * as tf from '@tensorflow/tfjs-core';
import type { DropoutSites } from '../ops';
import type { ParamStore } from '../params';
import { MultiHeadAttention } from './attention';
import { LayerNorm } from './linear';
import { Mlp } from './mlp';

/** The last time step of [B, T, d], kept as [B, 1, d]. */
function lastKept(x: tf.Tensor3D): tf.Tensor3D {
  const [b, t, d] = x.shape;
  return tf.slice(x, [0, t - 1, 0], [b, 1, d]);
}

/**
 * x = x + Drop(MHA(LN1(x))); x = x + Drop(FFN(LN2(x))) with FFN d -> 2d -> d (GELU); no final LN.
 * Variables `${name}.ln1`, `.attn`, `.ln2`, `.ffn`.
 */
export class TransformerBlock {
  readonly ln1: LayerNorm;
  readonly attn: MultiHeadAttention;
  readonly ln2: LayerNorm;
  readonly ffn: Mlp;

  constructor(store: ParamStore, name: string, d: number, heads: number) {
    this.ln1 = new LayerNorm(store, `${name}.ln1`, d);
    this.attn = new MultiHeadAttention(store, `${name}.attn`, d, heads);
    this.ln2 = new LayerNorm(store, `${name}.ln2`, d);
    this.ffn = new Mlp(store, `${name}.ffn`, d, 2 * d, d);
  }

  /**
   * Applies the block to x [B, T, d]. With `lastOnly` only the last position is computed
   * ([B, 1, d]); it equals the last row of the full output since only attention mixes positions.
   */
  apply(x: tf.Tensor3D, drop: DropoutSites, lastOnly = false): tf.Tensor3D {
    return tf.tidy(() => {
      const h = this.ln1.apply(x);
      const a = lastOnly ? this.attn.apply(lastKept(h), h) : this.attn.apply(h, h);
      const x1 = tf.add(lastOnly ? lastKept(x) : x, drop.apply(a)) as tf.Tensor3D;
      return tf.add(x1, drop.apply(this.ffn.apply(this.ln2.apply(x1)))) as tf.Tensor3D;
    });
  }
}

/**
 * Cross-modal block, queries from dst and keys/values from src, pre-LN on both inputs:
 * x = q + Drop(MHA(LN_q(q), LN_kv(kv))); x = x + Drop(FFN(LN2(x))).
 * Variables `${name}.ln_q`, `.ln_kv`, `.attn`, `.ln2`, `.ffn`.
 */
export class CrossModalBlock {
  readonly lnQ: LayerNorm;
  readonly lnKv: LayerNorm;
  readonly attn: MultiHeadAttention;
  readonly ln2: LayerNorm;
  readonly ffn: Mlp;

  constructor(store: ParamStore, name: string, d: number, heads: number) {
    this.lnQ = new LayerNorm(store, `${name}.ln_q`, d);
    this.lnKv = new LayerNorm(store, `${name}.ln_kv`, d);
    this.attn = new MultiHeadAttention(store, `${name}.attn`, d, heads);
    this.ln2 = new LayerNorm(store, `${name}.ln2`, d);
    this.ffn = new Mlp(store, `${name}.ffn`, d, 2 * d, d);
  }

  /** Applies the block; with `lastOnly` only the last query position ([B, 1, d]). */
  apply(dst: tf.Tensor3D, src: tf.Tensor3D, drop: DropoutSites, lastOnly = false): tf.Tensor3D {
    return tf.tidy(() => {
      const q = lastOnly ? lastKept(dst) : dst;
      const a = this.attn.apply(this.lnQ.apply(q), this.lnKv.apply(src));
      const x1 = tf.add(q, drop.apply(a)) as tf.Tensor3D;
      return tf.add(x1, drop.apply(this.ffn.apply(this.ln2.apply(x1)))) as tf.Tensor3D;
    });
  }
}
