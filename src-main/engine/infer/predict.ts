import * as tf from '@tensorflow/tfjs-core';
import type { SplitData } from '#contract/dataset';
import type { SplitMasks } from '../data/corruption';
import type { DarModel } from '../model/dar-model';
import { disposeInputs, toModelInputs } from '../model/inputs/inputs';
import { buildBatch } from '../train/batcher';

/** Default batch size for inference passes. */
export const PREDICT_BATCH = 64;

/**
 * Predictions for every clip of a normalised split under `masks` (eval mode, no dropout).
 * Batches are uploaded one at a time so memory stays flat on MOSEI-sized splits; reads are
 * awaited because sync reads break on WebGPU.
 */
export async function predictSplit(model: DarModel, split: SplitData, masks: SplitMasks | undefined, batchSize = PREDICT_BATCH): Promise<Float32Array> {
  const out = new Float32Array(split.n);
  for (let start = 0; start < split.n; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, split.n - start) }, (_, i) => start + i);
    const inputs = toModelInputs(buildBatch(split, indices, masks), model.config);
    let y: tf.Tensor | undefined;
    try {
      y = tf.tidy(() => model.forward(inputs, { training: false }).y_hat);
      out.set(await y.data<'float32'>(), start);
    } finally {
      y?.dispose();
      disposeInputs(inputs);
    }
  }
  return out;
}
