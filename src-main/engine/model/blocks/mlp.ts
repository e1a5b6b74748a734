/** Position-wise MLP Linear -> GELU -> Linear, no dropout (spec "small MLPs", FFNs). */
import * as tf from '@tensorflow/tfjs-core';
import { gelu } from '../ops';
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
    return tf.tidy(() => this.dense2.apply(gelu(this.dense1.apply(x))));
  }
}
