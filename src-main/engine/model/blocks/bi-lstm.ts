/**
 * Bidirectional LSTM (gate order i, f, g, o) and the CLUB estimator built on it (spec
 * "Architecture" 10). Written with matMul/sigmoid/tanh over the time steps so it is
 * differentiable on every backend (no gather, no fused LSTM kernel).
 */
import * as tf from '@tensorflow/tfjs-core';
import { linear, matMul } from '../ops';
import { uniformInit } from '../params';
import type { ParamStore } from '../params';
import { Linear } from './linear';

/** One direction: `${name}.kernel` [d, 4u], `.recurrent_kernel` [u, 4u], `.bias` [4u]. */
class LstmDirection {
  readonly kernel: tf.Variable<tf.Rank.R2>;
  readonly recurrent: tf.Variable<tf.Rank.R2>;
  readonly bias: tf.Variable<tf.Rank.R1>;

  constructor(store: ParamStore, name: string, d: number, readonly units: number) {
    const init = uniformInit(1 / Math.sqrt(units));
    this.kernel = store.variable(`${name}.kernel`, [d, 4 * units], init, 'club') as tf.Variable<tf.Rank.R2>;
    this.recurrent = store.variable(`${name}.recurrent_kernel`, [units, 4 * units], init, 'club') as tf.Variable<tf.Rank.R2>;
    this.bias = store.variable(`${name}.bias`, [4 * units], init, 'club') as tf.Variable<tf.Rank.R1>;
  }

  /** Runs over per-step input projections xs[s] [B, 4u] in the given order; returns h per step. */
  run(xs: tf.Tensor2D[], order: number[]): tf.Tensor2D[] {
    const out: tf.Tensor2D[] = new Array<tf.Tensor2D>(xs.length);
    let h: tf.Tensor2D | null = null;
    let c: tf.Tensor2D | null = null;
    for (const s of order) {
      const z: tf.Tensor2D = h ? tf.add(xs[s], matMul(h, this.recurrent)) : xs[s];
      const [zi, zf, zg, zo] = tf.split(z, 4, 1) as tf.Tensor2D[];
      const ig = tf.mul(tf.sigmoid(zi), tf.tanh(zg)) as tf.Tensor2D;
      c = c ? (tf.add(tf.mul(tf.sigmoid(zf), c), ig) as tf.Tensor2D) : ig; // h0 = c0 = 0
      h = tf.mul(tf.sigmoid(zo), tf.tanh(c)) as tf.Tensor2D;
      out[s] = h;
    }
    return out;
  }
}

/** Forward and backward LSTMs of d/2 units each; outputs concatenated to d per step. */
export class BiLstm {
  readonly fw: LstmDirection;
  readonly bw: LstmDirection;

  constructor(store: ParamStore, name: string, d: number) {
    this.fw = new LstmDirection(store, `${name}.fw`, d, d / 2);
    this.bw = new LstmDirection(store, `${name}.bw`, d, d / 2);
  }

  /** x [B, t, d] -> [B, t, d]. */
  apply(x: tf.Tensor3D): tf.Tensor3D {
    return tf.tidy(() => {
      const t = x.shape[1];
      // Input projections of both directions and all steps in one matMul, then time-major steps.
      const w = tf.concat([this.fw.kernel, this.bw.kernel], 1) as tf.Tensor2D;
      const bias = tf.concat([this.fw.bias, this.bw.bias]) as tf.Tensor1D;
      const steps = tf.unstack(tf.transpose(linear(x, w, bias), [1, 0, 2])) as tf.Tensor2D[];
      const parts = steps.map((s) => tf.split(s, 2, 1) as tf.Tensor2D[]);
      const order = Array.from({ length: t }, (_, i) => i);
      const hf = this.fw.run(parts.map((p) => p[0]), order);
      const hb = this.bw.run(parts.map((p) => p[1]), [...order].reverse());
      return tf.concat([tf.stack(hf, 1), tf.stack(hb, 1)], 2) as tf.Tensor3D;
    });
  }
}

/** CLUB q(y | x): BiLSTM over x, mu = Linear, logvar = tanh(Linear), per step; group 'club'. */
export class ClubEstimator {
  readonly lstm: BiLstm;
  readonly mu: Linear;
  readonly logvar: Linear;

  constructor(store: ParamStore, name: string, d: number) {
    this.lstm = new BiLstm(store, `${name}.lstm`, d);
    this.mu = new Linear(store, `${name}.mu`, d, d, { group: 'club' });
    this.logvar = new Linear(store, `${name}.logvar`, d, d, { group: 'club' });
  }

  /** x [B, t, d] -> mu, logvar [B, t, d]. */
  apply(x: tf.Tensor3D): { mu: tf.Tensor3D; logvar: tf.Tensor3D } {
    return tf.tidy(() => {
      const h = this.lstm.apply(x);
      return { mu: this.mu.apply(h), logvar: tf.tanh(this.logvar.apply(h)) };
    });
  }
}
