/** Alignment (spec "Architecture" 1): conv3 d_m -> d, GELU, relative-time pooling, LayerNorm, + pos. */
import * as tf from '@tensorflow/tfjs-core';
import { conv3, gelu, matMul } from '../ops';
import { fanInInit, normalInit } from '../params';
import type { ParamStore } from '../params';
import { LayerNorm } from './linear';

/** Variables `${name}.conv.kernel` [3, d_m, d], `.conv.bias` [d], `.ln.*`, `.pos` [t, d]. */
export class Alignment {
  readonly kernel: tf.Variable<tf.Rank.R3>;
  readonly bias: tf.Variable<tf.Rank.R1>;
  readonly ln: LayerNorm;
  readonly pos: tf.Variable<tf.Rank.R2>;

  constructor(store: ParamStore, name: string, dIn: number, d: number, t: number) {
    const init = fanInInit(3 * dIn);
    this.kernel = store.variable(`${name}.conv.kernel`, [3, dIn, d], init, 'main') as tf.Variable<tf.Rank.R3>;
    this.bias = store.variable(`${name}.conv.bias`, [d], init, 'main') as tf.Variable<tf.Rank.R1>;
    this.ln = new LayerNorm(store, `${name}.ln`, d);
    this.pos = store.variable(`${name}.pos`, [t, d], normalInit(0.02), 'main') as tf.Variable<tf.Rank.R2>;
  }

  /** x [B, T, d_m] (data, padding 0), pool [B, t, T] -> [B, t, d]. */
  apply(x: tf.Tensor3D, pool: tf.Tensor3D): tf.Tensor3D {
    return tf.tidy(() => {
      const y = gelu(conv3(x, this.kernel, this.bias));
      const pooled = matMul(pool, y, { constA: true });
      return tf.add(this.ln.apply(pooled), this.pos) as tf.Tensor3D;
    });
  }
}
