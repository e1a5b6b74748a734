/** Alignment (spec "Architecture" 1): conv3 d_m -> d, GELU, relative-time pooling, LayerNorm, + pos. */
import type * as tf from '@tensorflow/tfjs-core';
import type { ModalityInput } from '../inputs/inputs';
import { narrowAlign, wideAlign } from '../ops/conv';
import type { AlignWeights } from '../ops/conv';
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
    const weights: AlignWeights = [this.kernel, this.bias, this.ln.gamma, this.ln.beta, this.pos];
    return input.kind === 'wide' ? wideAlign(input, weights) : narrowAlign(input, weights);
  }
}
