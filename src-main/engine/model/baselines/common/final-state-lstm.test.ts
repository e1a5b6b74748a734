import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { blockDiagonalLstm, finalStateLstm } from './final-state-lstm';

/** The same LSTM in plain tf ops (autodiff), each row run alone for its own length. */
function naive(x: tf.Tensor3D, lengths: Int32Array, w: tf.Tensor, r: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  const u = r.shape[0];
  const rows = Array.from(lengths, (len, i) => {
    let h = tf.zeros([1, u]);
    let c = tf.zeros([1, u]);
    for (let s = 0; s < len; s++) {
      const xt = tf.reshape(tf.slice(x, [i, s, 0], [1, 1, -1]), [1, -1]);
      const z = tf.add(tf.add(tf.matMul(xt, w), tf.matMul(h, r)), b);
      const [zi, zf, zg, zo] = tf.split(z, 4, 1);
      c = tf.add(tf.mul(tf.sigmoid(zf), c), tf.mul(tf.sigmoid(zi), tf.tanh(zg)));
      h = tf.mul(tf.sigmoid(zo), tf.tanh(c));
    }
    return h;
  });
  return tf.concat(rows, 0) as tf.Tensor2D;
}

function lstm(d: number, u: number, seed: number): tf.Tensor[] {
  return [tf.randomNormal([d, 4 * u], 0, 0.5, 'float32', seed), tf.randomNormal([u, 4 * u], 0, 0.5, 'float32', seed + 1), tf.randomNormal([4 * u], 0, 0.5, 'float32', seed + 2)];
}

async function expectClose(a: tf.Tensor, b: tf.Tensor, digits: number, what: string): Promise<void> {
  const [x, y] = [await a.data(), await b.data()];
  expect(x.length, what).toBe(y.length);
  x.forEach((v, i) => expect(v, `${what} [${i}]`).toBeCloseTo(y[i], digits));
}

describe('finalStateLstm', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('gives each row\u2019s state at its own length, and the weights\u2019 gradients, as a per-row LSTM does', async () => {
    const [b, t, d, u] = [3, 7, 2, 4];
    const lengths = Int32Array.from([7, 3, 1]);
    const x = tf.randomNormal([b, t, d], 0, 1, 'float32', 1) as tf.Tensor3D;
    const probe = tf.randomNormal([b, u], 0, 1, 'float32', 5);
    const ours = (w: tf.Tensor, r: tf.Tensor, bs: tf.Tensor) => finalStateLstm(x, [{ lengths, units: u }], w, r, bs);
    const theirs = (w: tf.Tensor, r: tf.Tensor, bs: tf.Tensor) => naive(x, lengths, w, r, bs);
    const weights = lstm(d, u, 2);
    await expectClose(ours(weights[0], weights[1], weights[2]), theirs(weights[0], weights[1], weights[2]), 5, 'h_n');
    const g1 = tf.grads((w: tf.Tensor, r: tf.Tensor, bs: tf.Tensor) => tf.sum(tf.mul(ours(w, r, bs), probe)))(weights);
    const g2 = tf.grads((w: tf.Tensor, r: tf.Tensor, bs: tf.Tensor) => tf.sum(tf.mul(theirs(w, r, bs), probe)))(weights);
    for (let k = 0; k < 3; k++) await expectClose(g1[k], g2[k], 4, `gradient ${k}`);
  });

  it('steps two independent LSTMs (own widths, inputs and lengths) together, exactly', async () => {
    const [b, t] = [3, 6];
    const la = Int32Array.from([6, 2, 4]);
    const lv = Int32Array.from([1, 5, 6]);
    const xa = tf.randomNormal([b, t, 2], 0, 1, 'float32', 7) as tf.Tensor3D;
    const xv = tf.randomNormal([b, t, 3], 0, 1, 'float32', 8) as tf.Tensor3D;
    const [wa, wv] = [lstm(2, 3, 10), lstm(3, 5, 20)];
    const probe = tf.randomNormal([b, 8], 0, 1, 'float32', 9);
    const joint = (...w: tf.Tensor[]) => {
      const p = blockDiagonalLstm([
        { kernel: w[0], recurrent: w[1], bias: w[2] },
        { kernel: w[3], recurrent: w[4], bias: w[5] },
      ]);
      const h = finalStateLstm(tf.concat([xa, xv], 2), [{ lengths: la, units: 3 }, { lengths: lv, units: 5 }], p.kernel, p.recurrent, p.bias);
      return tf.sum(tf.mul(h, probe));
    };
    const apart = (...w: tf.Tensor[]) => tf.sum(tf.mul(tf.concat([naive(xa, la, w[0], w[1], w[2]), naive(xv, lv, w[3], w[4], w[5])], 1), probe));
    await expectClose(joint(...wa, ...wv), apart(...wa, ...wv), 5, 'loss');
    const [g1, g2] = [tf.grads(joint)([...wa, ...wv]), tf.grads(apart)([...wa, ...wv])];
    for (let k = 0; k < 6; k++) await expectClose(g1[k], g2[k], 4, `gradient ${k}`);
  });
});
