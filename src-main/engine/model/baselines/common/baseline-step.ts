/**
 * The gradient half of a baseline's training step: loss terms and gradients of 'total' over
 * the model's variables in one tape, then the terms read back (one transfer per step).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '../../params';

/** Terms by name, and the gradients by dotted name (null when the loss is not finite). */
export interface StepGrads {
  terms: Record<string, number>;
  grads: Map<string, tf.Tensor> | null;
}

/** Runs `losses` under a tape; `total` is differentiated. The caller owns the returned gradients. */
export async function lossGrads(store: ParamStore, names: readonly string[], losses: () => Record<string, tf.Scalar>): Promise<StepGrads> {
  const vars = store.group('main');
  const byTf = new Map([...vars].map(([n, v]) => [v.name, n]));
  let kept: tf.Tensor | null = null;
  const { value, grads } = tf.variableGrads(() => {
    const terms = losses();
    kept = tf.keep(tf.stack(names.map((n) => terms[n])));
    return terms.total;
  }, [...vars.values()]);
  value.dispose();
  const values = await readAndDispose(kept!);
  const terms = Object.fromEntries(names.map((n, i) => [n, values[i]]));
  const map = new Map(Object.entries(grads).map(([tfName, g]) => [byTf.get(tfName) ?? tfName, g]));
  if (!Number.isFinite(terms.total)) {
    tf.dispose([...map.values()]);
    return { terms, grads: null };
  }
  return { terms, grads: map };
}

async function readAndDispose(t: tf.Tensor): Promise<Float32Array> {
  try {
    return new Float32Array(await t.data<'float32'>());
  } finally {
    t.dispose();
  }
}
