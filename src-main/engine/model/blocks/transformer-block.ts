/** Pre-LN transformer encoder layer and the cross-modal variant (spec "Architecture"). */
import type * as tf from '@tensorflow/tfjs-core';
import type { DropoutSites } from '../ops/ops';
import type { ParamStore } from '../params';
import { MultiHeadAttention } from './attention';
import { blockOp } from './block-op';
import { LayerNorm } from './linear';
import { Mlp } from './mlp';

/** The two dropout masks of a layer's sublayer outputs [B, Tq, d] (attention first), or nulls. */
function masks(drop: DropoutSites, b: number, tq: number, d: number): [tf.Tensor | null, tf.Tensor | null] {
  return [drop.mask([b, tq, d]), drop.mask([b, tq, d])];
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
    const [b, t, d] = x.shape;
    const weights = [this.ln1.gamma, this.ln1.beta, ...this.attn.weights(), this.ln2.gamma, this.ln2.beta, ...this.ffn.weights()];
    return blockOp(x, null, weights, { heads: this.attn.heads, lastOnly, masks: masks(drop, b, lastOnly ? 1 : t, d) });
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
    const [b, t, d] = dst.shape;
    const weights = [this.lnQ.gamma, this.lnQ.beta, this.lnKv.gamma, this.lnKv.beta, ...this.attn.weights(), this.ln2.gamma, this.ln2.beta, ...this.ffn.weights()];
    return blockOp(dst, src, weights, { heads: this.attn.heads, lastOnly, masks: masks(drop, b, lastOnly ? 1 : t, d) });
  }
}
