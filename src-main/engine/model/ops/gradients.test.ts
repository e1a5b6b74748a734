import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerModelGradients } from './gradients';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerModelGradients();
});

/** Central differences of a scalar function of x (float32 forward, eps 1e-2). */
function numericGrad(f: (x: tf.Tensor) => tf.Scalar, x: tf.Tensor): number[] {
  const base = x.dataSync();
  const out: number[] = [];
  for (let i = 0; i < base.length; i++) {
    const at = (delta: number) => {
      const v = Float32Array.from(base);
      v[i] += delta;
      return tf.tidy(() => f(tf.tensor(v, x.shape)).dataSync()[0]);
    };
    out.push((at(1e-2) - at(-1e-2)) / 2e-2);
  }
  return out;
}

const w = (shape: number[]) => tf.randomNormal(shape, 0, 1, 'float32', 99);
const pos = (x: tf.Tensor) => tf.add(tf.square(x), 0.5);

// Every kernel the model and losses put on the tape, each wrapped into a scalar with weights.
const cases: [string, number[], (x: tf.Tensor) => tf.Tensor][] = [
  ['Add (broadcast)', [3, 4], (x) => tf.add(x, tf.slice(x, [0, 0], [1, 4]))],
  ['Sub (broadcast)', [3, 4], (x) => tf.sub(tf.slice(x, [1, 0], [1, 4]), x)],
  ['Multiply (broadcast)', [3, 4], (x) => tf.mul(x, tf.sum(x, 1, true))],
  ['RealDiv (broadcast)', [3, 4], (x) => tf.div(x, pos(tf.sum(x, 0)))],
  ['Abs', [3, 4], (x) => tf.abs(tf.add(x, 0.05))],
  ['Neg/Exp/Log', [3, 4], (x) => tf.neg(tf.log(tf.add(tf.exp(x), 1)))],
  ['Sqrt/Rsqrt', [3, 4], (x) => tf.add(tf.sqrt(pos(x)), tf.rsqrt(pos(x)))],
  ['Square/Sigmoid/Tanh/Erf', [3, 4], (x) => tf.addN([tf.square(x), tf.sigmoid(x), tf.tanh(x), tf.erf(x)])],
  ['Reshape/Transpose', [2, 3, 4], (x) => tf.mul(tf.transpose(tf.reshape(x, [6, 4])), w([4, 6]))],
  ['Concat/SplitV', [3, 4], (x) => {
    const [a, b] = tf.split(x, [1, 3], 1);
    return tf.concat([tf.mul(b, 2), tf.square(a)], 1);
  }],
  ['Pack/Unpack', [3, 4], (x) => tf.stack(tf.unstack(x).map((r, i) => tf.mul(r, i + 1)), 1)],
  ['Slice/PadV2', [3, 4], (x) => tf.pad(tf.slice(x, [1, 1], [2, 2]), [[1, 0], [0, 2]])],
  ['Sum/Mean', [3, 4], (x) => tf.add(tf.sum(tf.square(x), 1), tf.mean(x, 1))],
  ['Softmax/logSoftmax', [3, 4], (x) => tf.add(tf.softmax(x), tf.logSoftmax(tf.mul(x, 2)))],
  ['BatchMatMul', [2, 3, 4], (x) => tf.matMul(x, tf.transpose(x, [0, 2, 1]))],
  ['AddN/Identity/Cast', [3, 4], (x) => tf.addN([x, tf.clone(x), tf.cast(x, 'float32')])],
];

describe('registered kernel gradients', () => {
  for (const [name, shape, g] of cases) {
    it(`match central differences: ${name}`, () => {
      const x = tf.randomNormal(shape, 0, 1, 'float32', 3);
      const outShape = tf.tidy(() => g(x).shape);
      const weights = w(outShape);
      const f = (v: tf.Tensor) => tf.sum(tf.mul(g(v), weights)) as tf.Scalar;
      const analytic = tf.grad(f)(x).dataSync();
      const numeric = numericGrad(f, x);
      numeric.forEach((n, i) => expect(Math.abs(analytic[i] - n)).toBeLessThan(2e-3 + 1e-2 * Math.abs(n)));
    });
  }
});
