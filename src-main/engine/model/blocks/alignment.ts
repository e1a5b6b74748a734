/** Alignment (spec "Architecture" 1): conv3 d_m -> d, GELU, relative-time pooling, LayerNorm, + pos. */
import * as tf from '@tensorflow/tfjs-core';
import type { ModalityInput } from '../inputs';
import { gelu, matMul } from '../ops';
import { narrowConv3, slotPool, wideConv3 } from '../ops-conv';
import { fanInInit, normalInit } from '../params';
import type { ParamStore } from '../params';
import { LayerNorm } from './linear';

/** Variables `${name}.conv.kernel` [3, d_m, d], `.conv.bias` [d], `.ln.*`, `.pos` [t, d]. */
export class Alignment {
  readonly kernel: tf.Variable<tf.Rank.R3>;
  readonly bias: tf.Variable<tf.Rank.R1>;
  readonly ln: LayerNorm;
  readonly pos: tf.Variable<tf.Rank.R2>;

  constructor(
    store: ParamStore,
    name: string,
    dIn: number,
    readonly d: number,
    readonly t: number,
  ) {
    const init = fanInInit(3 * dIn);
    this.kernel = store.variable(`${name}.conv.kernel`, [3, dIn, d], init, 'main') as tf.Variable<tf.Rank.R3>;
    this.bias = store.variable(`${name}.conv.bias`, [d], init, 'main') as tf.Variable<tf.Rank.R1>;
    this.ln = new LayerNorm(store, `${name}.ln`, d);
    this.pos = store.variable(`${name}.pos`, [t, d], normalInit(0.02), 'main') as tf.Variable<tf.Rank.R2>;
  }

  /** One modality's input -> [branches * B, t, d] (corrupted clips first). */
  apply(input: ModalityInput): tf.Tensor3D {
    return tf.tidy(() => {
      const rows = input.branches * input.size;
      let pooled: tf.Tensor3D;
      if (input.kind === 'wide') {
        const y = gelu(wideConv3(input, this.kernel, this.bias));
        const frames = tf.reshape(y, [rows, input.rowsPerClip, this.d]) as tf.Tensor3D;
        pooled = matMul(input.pool, frames, { constA: true });
      } else {
        const y = gelu(narrowConv3(input, this.kernel, this.bias));
        const slots = input.weights.shape[0];
        const bins = slotPool(tf.reshape(y, [slots, rows * this.t, this.d]) as tf.Tensor3D, input.weights);
        pooled = tf.reshape(bins, [rows, this.t, this.d]);
      }
      return tf.add(this.ln.apply(pooled), this.pos) as tf.Tensor3D;
    });
  }
}
