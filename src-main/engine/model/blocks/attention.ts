/** Multi-head attention with `query`/`key`/`value`/`output` projections (xavier, zero bias). */
import * as tf from '@tensorflow/tfjs-core';
import { linear, matMul } from '../ops';
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
      // One matMul for the projections that share an input.
      let qp: tf.Tensor3D, kp: tf.Tensor3D, vp: tf.Tensor3D;
      if (q === kv) {
        const w = tf.concat([this.query.kernel, this.key.kernel, this.value.kernel], 1) as tf.Tensor2D;
        const bias = tf.concat([this.query.bias, this.key.bias, this.value.bias]) as tf.Tensor1D;
        [qp, kp, vp] = tf.split(linear(q, w, bias), 3, 2) as tf.Tensor3D[];
      } else {
        qp = this.query.apply(q);
        const w = tf.concat([this.key.kernel, this.value.kernel], 1) as tf.Tensor2D;
        const bias = tf.concat([this.key.bias, this.value.bias]) as tf.Tensor1D;
        [kp, vp] = tf.split(linear(kv, w, bias), 2, 2) as tf.Tensor3D[];
      }
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
