/** Multi-head attention's `query`/`key`/`value`/`output` projections (xavier, zero bias). */
import type * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '../params';
import { Linear } from './linear';

/**
 * The weights of scaled dot-product attention over `heads` heads of width d / heads, no
 * attention dropout; the computation itself is part of the fused layer op (block-op.ts).
 */
export class MultiHeadAttention {
  readonly query: Linear;
  readonly key: Linear;
  readonly value: Linear;
  readonly output: Linear;

  constructor(
    store: ParamStore,
    name: string,
    readonly d: number,
    readonly heads: number,
  ) {
    this.query = new Linear(store, `${name}.query`, d, d, { init: 'xavier' });
    this.key = new Linear(store, `${name}.key`, d, d, { init: 'xavier' });
    this.value = new Linear(store, `${name}.value`, d, d, { init: 'xavier' });
    this.output = new Linear(store, `${name}.output`, d, d, { init: 'xavier' });
  }

  /** [Wq, bq, Wk, bk, Wv, bv, Wo, bo] */
  weights(): tf.Tensor[] {
    return [this.query, this.key, this.value, this.output].flatMap((l) => [l.kernel, l.bias]);
  }
}
