/** Linear (dense) and LayerNorm layers holding their variables in a ParamStore. */
import type * as tf from '@tensorflow/tfjs-core';
import { layerNorm, linear } from '../ops/ops';
import { dense } from '../ops/fused';
import { constInit, fanInInit, xavierInit } from '../params';
import type { ParamGroup, ParamStore } from '../params';

/** Options of a Linear layer: PyTorch default init (fan-in uniform) or xavier with zero bias. */
export interface LinearOptions {
  init?: 'fan_in' | 'xavier';
  group?: ParamGroup;
}

/** y = x W + b with `${name}.kernel` [d_in, d_out] and `${name}.bias` [d_out]. */
export class Linear {
  readonly kernel: tf.Variable<tf.Rank.R2>;
  readonly bias: tf.Variable<tf.Rank.R1>;

  constructor(store: ParamStore, name: string, dIn: number, dOut: number, opts: LinearOptions = {}) {
    const group = opts.group ?? 'main';
    const xavier = opts.init === 'xavier';
    this.kernel = store.variable(`${name}.kernel`, [dIn, dOut], xavier ? xavierInit(dIn, dOut) : fanInInit(dIn), group) as tf.Variable<tf.Rank.R2>;
    this.bias = store.variable(`${name}.bias`, [dOut], xavier ? constInit(0) : fanInInit(dIn), group) as tf.Variable<tf.Rank.R1>;
  }

  /** Applies the layer on the last axis of a rank-2 or rank-3 tensor. */
  apply<T extends tf.Tensor>(x: T): T {
    return linear(x, this.kernel, this.bias);
  }

  /** Applies the layer to the concatenation of xs along the last axis (without building it on the tape). */
  applyJoined<T extends tf.Tensor>(xs: T[]): T {
    return dense(xs, this.kernel, this.bias);
  }
}

/** LayerNorm (eps 1e-5) with `${name}.gamma` = 1 and `${name}.beta` = 0. */
export class LayerNorm {
  readonly gamma: tf.Variable<tf.Rank.R1>;
  readonly beta: tf.Variable<tf.Rank.R1>;

  constructor(store: ParamStore, name: string, d: number, group: ParamGroup = 'main') {
    this.gamma = store.variable(`${name}.gamma`, [d], constInit(1), group) as tf.Variable<tf.Rank.R1>;
    this.beta = store.variable(`${name}.beta`, [d], constInit(0), group) as tf.Variable<tf.Rank.R1>;
  }

  /** Normalises over the last axis. */
  apply<T extends tf.Tensor>(x: T): T {
    return layerNorm(x, this.gamma, this.beta);
  }
}
