/** Multi-head attention with `query`/`key`/`value`/`output` projections (xavier, zero bias). */
import * as tf from '@tensorflow/tfjs-core';
import { matMul } from '../ops';
import type { ParamStore } from '../params';
import { Linear } from './linear';

/** Scaled dot-product attention over `heads` heads of width d / heads, no attention dropout. */
export class MultiHeadAttention {
  readonly query: Linear;
  readonly key: Linear;
  readonly value: Linear;
  readonly output: Linear;

  constructor(
    store: ParamStore,
    name: string,
    readonly d: number,
    readonly heads: number,
  ) {
    this.query = new Linear(store, `${name}.query`, d, d, { init: 'xavier' });
    this.key = new Linear(store, `${name}.key`, d, d, { init: 'xavier' });
    this.value = new Linear(store, `${name}.value`, d, d, { init: 'xavier' });
    this.output = new Linear(store, `${name}.output`, d, d, { init: 'xavier' });
  }

  /** Queries from q [B, Tq, d], keys and values from kv [B, Tk, d] (pass the same tensor for self-attention). */
  apply(q: tf.Tensor3D, kv: tf.Tensor3D): tf.Tensor3D {
    return tf.tidy(() => {
      const [b, tq, d] = q.shape;
      const tk = kv.shape[1];
      const h = this.heads;
      const dh = d / h;
      // Separate projections: a fused [d, 3d] matMul would need a last-axis split, slow on WASM.
      const qp = this.query.apply(q);
      const kp = this.key.apply(kv);
      const vp = this.value.apply(kv);
      const scale = 1 / Math.sqrt(dh);
      const qh = tf.reshape(tf.transpose(tf.reshape(tf.mul(qp, scale), [b, tq, h, dh]), [0, 2, 1, 3]), [b * h, tq, dh]);
      const kh = tf.reshape(tf.transpose(tf.reshape(kp, [b, tk, h, dh]), [0, 2, 3, 1]), [b * h, dh, tk]);
      const vh = tf.reshape(tf.transpose(tf.reshape(vp, [b, tk, h, dh]), [0, 2, 1, 3]), [b * h, tk, dh]);
      const attn = tf.softmax(matMul(qh, kh));
      const ctx = matMul(attn, vh);
      const merged = tf.reshape(tf.transpose(tf.reshape(ctx, [b, h, tq, dh]), [0, 2, 1, 3]), [b, tq, d]) as tf.Tensor3D;
      return this.output.apply(merged);
    });
  }
}
