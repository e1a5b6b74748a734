/**
 * Bidirectional LSTMs (gate order i, f, g, o; h0 = c0 = 0) and the CLUB estimators built on them
 * (spec "Architecture" 10). Written with matMul/sigmoid/tanh over the time steps, differentiable
 * on every backend. Several BiLSTMs of equal shape run as one: all their cells (forward and
 * backward of each) step together as a [cells, B, 4u] tensor, so a step costs the same number
 * of kernels for one modality or three.
 */
import * as tf from '@tensorflow/tfjs-core';
import { linear, matMul } from '../ops';
import { uniformInit } from '../params';
import type { ParamStore } from '../params';
import { Linear } from './linear';

/** One direction: `${name}.kernel` [d, 4u], `.recurrent_kernel` [u, 4u], `.bias` [4u]. */
export class LstmDirection {
  readonly kernel: tf.Variable<tf.Rank.R2>;
  readonly recurrent: tf.Variable<tf.Rank.R2>;
  readonly bias: tf.Variable<tf.Rank.R1>;

  constructor(store: ParamStore, name: string, d: number, units: number) {
    const init = uniformInit(1 / Math.sqrt(units));
    this.kernel = store.variable(`${name}.kernel`, [d, 4 * units], init, 'club') as tf.Variable<tf.Rank.R2>;
    this.recurrent = store.variable(`${name}.recurrent_kernel`, [units, 4 * units], init, 'club') as tf.Variable<tf.Rank.R2>;
    this.bias = store.variable(`${name}.bias`, [4 * units], init, 'club') as tf.Variable<tf.Rank.R1>;
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
}

/** Per-step input projections of one direction of every LSTM, time-major: t x [K, B, 4u]. */
function stepInputs(xs: tf.Tensor3D[], dirs: LstmDirection[]): tf.Tensor3D[] {
  const proj = xs.map((x, i) => linear(x, dirs[i].kernel, dirs[i].bias));
  return tf.unstack(tf.transpose(tf.stack(proj), [2, 0, 1, 3])) as tf.Tensor3D[];
}

/** One step of all 2K cells: z [2K, B, 4u] (input part), state h, c [2K, B, u] or null at s = 0. */
function cellStep(z: tf.Tensor3D, h: tf.Tensor3D | null, c: tf.Tensor3D | null, recurrent: tf.Tensor2D[], gScale: tf.Tensor1D): [tf.Tensor3D, tf.Tensor3D] {
  if (h) {
    const [cells, b, u] = h.shape;
    const hs = tf.split(h, cells, 0).map((hc, i) => matMul(tf.reshape(hc, [b, u]) as tf.Tensor2D, recurrent[i]));
    z = tf.add(z, tf.stack(hs)) as tf.Tensor3D;
  }
  // One sigmoid for all gates: tanh(g) = 2 sigmoid(2 g) - 1.
  const [i, f, g2, o] = tf.split(tf.sigmoid(tf.mul(z, gScale)), 4, 2) as tf.Tensor3D[];
  const ig = tf.mul(i, tf.sub(tf.mul(g2, 2), 1)) as tf.Tensor3D;
  const cNext = c ? (tf.add(tf.mul(f, c), ig) as tf.Tensor3D) : ig;
  return [tf.mul(o, tf.tanh(cNext)) as tf.Tensor3D, cNext];
}

/** Runs K BiLSTMs of equal shape on their inputs xs[k] [B, t, d]; returns [B, t, d] each. */
export function runBiLstms(lstms: BiLstm[], xs: tf.Tensor3D[]): tf.Tensor3D[] {
  return tf.tidy(() => {
    const k = lstms.length;
    const t = xs[0].shape[1];
    const u = lstms[0].fw.recurrent.shape[0];
    const fwIn = stepInputs(xs, lstms.map((l) => l.fw));
    const bwIn = stepInputs(xs, lstms.map((l) => l.bw));
    const recurrent = [...lstms.map((l) => l.fw.recurrent), ...lstms.map((l) => l.bw.recurrent)];
    const gScale = tf.tensor1d(Float32Array.from({ length: 4 * u }, (_, j) => (j >= 2 * u && j < 3 * u ? 2 : 1)));
    const fwOut: tf.Tensor3D[] = new Array<tf.Tensor3D>(t);
    const bwOut: tf.Tensor3D[] = new Array<tf.Tensor3D>(t);
    let h: tf.Tensor3D | null = null;
    let c: tf.Tensor3D | null = null;
    for (let s = 0; s < t; s++) {
      // Backward cells read the sequence from its end.
      const z = tf.concat([fwIn[s], bwIn[t - 1 - s]], 0) as tf.Tensor3D;
      [h, c] = cellStep(z, h, c, recurrent, gScale);
      [fwOut[s], bwOut[t - 1 - s]] = tf.split(h, [k, k], 0) as tf.Tensor3D[];
    }
    const both = tf.concat([tf.stack(fwOut), tf.stack(bwOut)], 3); // [t, K, B, 2u]
    return tf.unstack(tf.transpose(both, [1, 2, 0, 3])) as tf.Tensor3D[];
  });
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

  /** mu, logvar [B, t, d] from the BiLSTM states h [B, t, d]. */
  heads(h: tf.Tensor3D): { mu: tf.Tensor3D; logvar: tf.Tensor3D } {
    return tf.tidy(() => ({ mu: this.mu.apply(h), logvar: tf.tanh(this.logvar.apply(h)) }));
  }
}

/** Several CLUB estimators on their inputs in one pass (their LSTMs step together). */
export function runClubs(estimators: ClubEstimator[], xs: tf.Tensor3D[]): { mu: tf.Tensor3D; logvar: tf.Tensor3D }[] {
  return tf.tidy(() => {
    const hs = runBiLstms(
      estimators.map((e) => e.lstm),
      xs,
    );
    return estimators.map((e, i) => e.heads(hs[i]));
  });
}
