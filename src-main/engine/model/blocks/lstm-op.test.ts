import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../../../../testing/engine/model/ops-reference';
import { lstmOp } from './lstm-op';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** One LSTM direction over x [B, t, d] with plain tfjs ops (gate order i, f, g, o). */
function plainLstm(x: tf.Tensor, w: tf.Tensor, r: tf.Tensor, bias: tf.Tensor, reverse: boolean): tf.Tensor {
  const [b, t] = x.shape;
  const u = r.shape[0];
  let h: tf.Tensor = tf.zeros([b, u]);
  let c: tf.Tensor = tf.zeros([b, u]);
  const out: tf.Tensor[] = new Array<tf.Tensor>(t);
  for (let n = 0; n < t; n++) {
    const s = reverse ? t - 1 - n : n;
    const xs = tf.reshape(tf.slice(x, [0, s, 0], [b, 1, -1]), [b, -1]);
    const z = tf.add(tf.add(tf.matMul(xs, w), tf.matMul(h, r)), bias);
    const [i, f, g, o] = tf.split(z, 4, 1);
    c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
    h = tf.mul(tf.sigmoid(o), tf.tanh(c));
    out[s] = h;
  }
  return tf.stack(out, 1);
}

describe('lstmOp', () => {
  it('has the values and the input and weight gradients of plain stepwise LSTMs', () => {
    const [b, t, d, u] = [3, 5, 4, 2];
    const xs = [0, 1].map((i) => tf.randomNormal([b, t, d], 0, 1, 'float32', i) as tf.Tensor3D);
    const weights = [0, 1].flatMap((l) => [0, 1].flatMap((dir) => [[d, 4 * u], [u, 4 * u], [4 * u]].map((s, j) => tf.randomNormal(s, 0, 0.5, 'float32', 10 + 6 * l + 3 * dir + j))));
    const r = tf.randomNormal([2, b, t, 2 * u], 0, 1, 'float32', 50);
    const ours = (...a: tf.Tensor[]) => tf.sum(tf.mul(lstmOp(a.slice(0, 2) as tf.Tensor3D[], a.slice(2)), r)) as tf.Scalar;
    const plain = (...a: tf.Tensor[]) => {
      const ys = [0, 1].map((l) => {
        const w = a.slice(2 + 6 * l, 8 + 6 * l);
        return tf.concat([plainLstm(a[l], w[0], w[1], w[2], false), plainLstm(a[l], w[3], w[4], w[5], true)], 2);
      });
      return tf.sum(tf.mul(tf.stack(ys), r)) as tf.Scalar;
    };
    const inputs = [...xs, ...weights];
    expect(Math.abs(ours(...inputs).dataSync()[0] - plain(...inputs).dataSync()[0])).toBeLessThan(1e-4);
    const g1 = tf.grads(ours)(inputs);
    const g2 = tf.grads(plain)(inputs);
    g1.forEach((g, i) => expect(maxAbsDiff(g.dataSync(), g2[i].dataSync()), `input ${i}`).toBeLessThan(1e-4));
    // frozen weights (main step) or detached inputs (CLUB step): the same gradients for the rest
    const onlyX = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(lstmOp(a as tf.Tensor3D[], weights, 'inputs'), r)) as tf.Scalar)(xs);
    onlyX.forEach((g, i) => expect(maxAbsDiff(g.dataSync(), g2[i].dataSync())).toBeLessThan(1e-4));
    const onlyW = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(lstmOp(xs, a, 'weights'), r)) as tf.Scalar)(weights);
    onlyW.forEach((g, i) => expect(maxAbsDiff(g.dataSync(), g2[2 + i].dataSync())).toBeLessThan(1e-4));
  });
});
