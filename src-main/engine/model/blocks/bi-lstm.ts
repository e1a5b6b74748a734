/**
 * Bidirectional LSTMs (gate order i, f, g, o; h0 = c0 = 0) and the CLUB estimators built on them
 * (spec "Architecture" 10): the weights live here, the recurrence is one fused op (lstm-op.ts)
 * in which several BiLSTMs of equal shape step together.
 */
import * as tf from '@tensorflow/tfjs-core';
import { fastTanh } from '../ops/kernels';
import { pick } from '../ops/fused';
import { uniformInit } from '../params';
import type { ParamStore } from '../params';
import { Linear } from './linear';
import { lstmOp } from './lstm-op';
import type { LstmGrads } from './lstm-op';

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

/** Runs K BiLSTMs of equal shape on their inputs xs[k] [B, t, d]; returns [B, t, d] each. */
export function runBiLstms(lstms: BiLstm[], xs: tf.Tensor3D[], grads: LstmGrads = 'all'): tf.Tensor3D[] {
  return tf.tidy(() => {
    const weights = lstms.flatMap((l) => [l.fw, l.bw].flatMap((dir) => [dir.kernel, dir.recurrent, dir.bias]));
    const all = lstmOp(xs, weights, grads);
    const [k, b, t, d] = all.shape;
    return lstms.map((_, i) => tf.reshape(pick(all, i, k), [b, t, d]) as tf.Tensor3D);
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
    return tf.tidy(() => ({ mu: this.mu.apply(h), logvar: fastTanh(this.logvar.apply(h)) as tf.Tensor3D }));
  }
}

/** Several CLUB estimators on their inputs in one pass (their LSTMs step together). */
export function runClubs(estimators: ClubEstimator[], xs: tf.Tensor3D[], grads: LstmGrads = 'all'): { mu: tf.Tensor3D; logvar: tf.Tensor3D }[] {
  return tf.tidy(() => {
    const hs = runBiLstms(
      estimators.map((e) => e.lstm),
      xs,
      grads,
    );
    return estimators.map((e, i) => e.heads(hs[i]));
  });
}
