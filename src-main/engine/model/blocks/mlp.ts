/** Position-wise MLP Linear -> GELU -> Linear, no dropout (spec "small MLPs", FFNs). */
import type * as tf from '@tensorflow/tfjs-core';
import { mlp } from '../ops/fused';
import type { ParamStore } from '../params';
import { Linear } from './linear';

/** `${name}.dense1` [d_in, d_hidden] and `${name}.dense2` [d_hidden, d_out]. */
export class Mlp {
  readonly dense1: Linear;
  readonly dense2: Linear;

  constructor(store: ParamStore, name: string, dIn: number, dHidden: number, dOut: number) {
    this.dense1 = new Linear(store, `${name}.dense1`, dIn, dHidden);
    this.dense2 = new Linear(store, `${name}.dense2`, dHidden, dOut);
  }

  /** Applies the MLP on the last axis. */
  apply<T extends tf.Tensor>(x: T): T {
    return mlp([x], this.dense1.kernel, this.dense1.bias, this.dense2.kernel, this.dense2.bias);
  }

  /** Applies the MLP to the concatenation of xs along the last axis (without building it on the tape). */
  applyJoined<T extends tf.Tensor>(xs: T[]): T {
    return mlp(xs, this.dense1.kernel, this.dense1.bias, this.dense2.kernel, this.dense2.bias);
  }

  /** [W1, b1, W2, b2] */
  weights(): tf.Tensor[] {
    return [this.dense1.kernel, this.dense1.bias, this.dense2.kernel, this.dense2.bias];
  }
}
