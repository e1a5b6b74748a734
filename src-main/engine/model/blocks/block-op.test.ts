import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../../../../testing/engine/model/ops-reference';
import { blockOp } from './block-op';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const d = 8;
const heads = 2;

/** The layer written with plain tfjs ops (differentiated by the registered kernel gradients). */
function plainBlock(x: tf.Tensor3D, src: tf.Tensor3D | null, w: tf.Tensor[], lastOnly: boolean, masks: (tf.Tensor | null)[]): tf.Tensor {
  const [b, t] = x.shape;
  const ln = (v: tf.Tensor, g: tf.Tensor, be: tf.Tensor) => {
    const c = tf.sub(v, tf.mean(v, -1, true));
    return tf.add(tf.mul(tf.div(c, tf.sqrt(tf.add(tf.mean(tf.square(c), -1, true), 1e-5))), g), be);
  };
  const lin = (v: tf.Tensor, k: tf.Tensor, bias: tf.Tensor) => tf.add(tf.matMul(tf.reshape(v, [-1, k.shape[0]]), k), bias);
  const gelu = (v: tf.Tensor) => tf.mul(tf.mul(v, 0.5), tf.add(1, tf.erf(tf.div(v, Math.SQRT2))));
  const last = (v: tf.Tensor) => tf.slice(v, [0, t - 1, 0], [b, 1, d]);
  const [wq, bq, wk, bk, wv, bv, wo, bo, g2, be2, w1, c1, w2, c2] = w.slice(src ? 4 : 2);
  const res = lastOnly ? last(x) : x;
  const hq = src ? ln(res, w[0], w[1]) : lastOnly ? last(ln(x, w[0], w[1])) : ln(x, w[0], w[1]);
  const hkv = src ? ln(src, w[2], w[3]) : ln(x, w[0], w[1]);
  const tq = lastOnly ? 1 : t;
  const tk = hkv.shape[1]!;
  const split = (v: tf.Tensor, n: number) => tf.transpose(tf.reshape(v, [b, n, heads, d / heads]), [0, 2, 1, 3]);
  const q = split(lin(hq, wq, bq), tq);
  const k = split(lin(hkv, wk, bk), tk);
  const v = split(lin(hkv, wv, bv), tk);
  const a = tf.softmax(tf.div(tf.matMul(q, tf.transpose(k, [0, 1, 3, 2])), Math.sqrt(d / heads)));
  const ctx = tf.reshape(tf.transpose(tf.matMul(a, v), [0, 2, 1, 3]), [b, tq, d]);
  const drop = (v2: tf.Tensor, m: tf.Tensor | null) => (m ? tf.mul(v2, m) : v2);
  const x1 = tf.add(res, drop(tf.reshape(lin(ctx, wo, bo), [b, tq, d]), masks[0]));
  const f = lin(gelu(lin(ln(x1, g2, be2), w1, c1)), w2, c2);
  return tf.add(x1, drop(tf.reshape(f, [b, tq, d]), masks[1]));
}

function weights(cross: boolean, seed: number): tf.Tensor[] {
  const shapes = [...(cross ? [[d], [d], [d], [d]] : [[d], [d]]), ...[0, 1, 2, 3].flatMap(() => [[d, d], [d]]), [d], [d], [d, 2 * d], [2 * d], [2 * d, d], [d]];
  return shapes.map((s, i) => tf.randomNormal(s, s.length === 1 ? 0.1 : 0, s.length === 1 ? 0.5 : 0.4, 'float32', seed + i));
}

describe('blockOp', () => {
  for (const cross of [false, true]) {
    for (const lastOnly of [false, true]) {
      it(`has the value and gradients of the plain layer (${cross ? 'cross' : 'self'}${lastOnly ? ', last position' : ''}, dropout)`, () => {
        const x = tf.randomNormal([3, 5, d], 0, 1, 'float32', 1) as tf.Tensor3D;
        const src = cross ? (tf.randomNormal([3, 6, d], 0, 1, 'float32', 2) as tf.Tensor3D) : null;
        const w = weights(cross, 10);
        const tq = lastOnly ? 1 : 5;
        const masks = [3, 4].map((s) => tf.mul(tf.cast(tf.greater(tf.randomUniform([3, tq, d], 0, 1, 'float32', s), 0.3), 'float32'), 1 / 0.7));
        const r = tf.randomNormal([3, tq, d], 0, 1, 'float32', 5);
        const inputs = [x, ...(src ? [src] : []), ...w];
        const n = src ? 2 : 1;
        const loss = (f: (...a: tf.Tensor[]) => tf.Tensor) => (...a: tf.Tensor[]) => tf.sum(tf.mul(f(...a), r)) as tf.Scalar;
        const ours = loss((...a) => blockOp(a[0] as tf.Tensor3D, src ? (a[1] as tf.Tensor3D) : null, a.slice(n), { heads, lastOnly, masks: [masks[0], masks[1]] }));
        const plain = loss((...a) => plainBlock(a[0] as tf.Tensor3D, src ? (a[1] as tf.Tensor3D) : null, a.slice(n), lastOnly, masks));
        expect(Math.abs(ours(...inputs).dataSync()[0] - plain(...inputs).dataSync()[0])).toBeLessThan(1e-4);
        const g1 = tf.grads(ours)(inputs);
        const g2 = tf.grads(plain)(inputs);
        g1.forEach((g, i) => expect(maxAbsDiff(g.dataSync(), g2[i].dataSync()), `input ${i}`).toBeLessThan(1e-4));
      });
    }
  }
});
