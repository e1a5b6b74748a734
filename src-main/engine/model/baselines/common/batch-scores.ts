/** Small device-transfer helpers the baselines share. */
import * as tf from '@tensorflow/tfjs-core';
import { DarError } from '../../../errors';
import type { ModelBatch } from '../../batch';

/** The batch's labels as a [B] tensor; a batch without labels cannot be scored or trained on. */
export function labelTensor(batch: ModelBatch): tf.Tensor1D {
  if (!batch.labels) throw new DarError('ARG_INVALID', 'batch: labels are required to score or train');
  return tf.tensor1d(batch.labels);
}

/** Reads tensors (async: sync reads break WebGPU) and disposes them. */
export async function readScalars(ts: tf.Tensor[]): Promise<Float32Array[]> {
  try {
    return await Promise.all(ts.map(async (t) => new Float32Array(await t.data<'float32'>())));
  } finally {
    tf.dispose(ts);
  }
}
