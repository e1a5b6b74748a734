/**
 * The features the feature-space view draws: for each clip and modality, the complete input's
 * common (Hcom) and specific (Hspec) features averaged over the t time bins, from the encoders
 * in eval mode. Only the alignment and the two encoders run, one branch, in batches.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { PerModality, SplitData } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';
import { PREDICT_BATCH } from '../infer/predict';
import type { DarModel } from '../model/dar-model';
import { disposeInputs, toModelInputs } from '../model/inputs/inputs';
import { buildBatch } from '../train/batcher';


/** Time-averaged features of n clips: per modality an [n, d] row-major matrix. */
export interface ClipFeatures {
  n: number;
  d: number;
  common: PerModality<Float32Array>;
  specific: PerModality<Float32Array>;
}

/**
 * Time-averaged complete Hcom_m and Hspec_m of the clips `indices` of a normalised split
 * (rows in the order of `indices`). Reads are awaited (sync reads break on WebGPU); leaves no
 * tensor behind.
 */
export async function timeAveragedFeatures(model: DarModel, split: SplitData, indices: readonly number[], batchSize = PREDICT_BATCH): Promise<ClipFeatures> {
  const { d } = model.config;
  const n = indices.length;
  const alloc = (): PerModality<Float32Array> => ({ l: new Float32Array(n * d), a: new Float32Array(n * d), v: new Float32Array(n * d) });
  const common = alloc();
  const specific = alloc();
  for (let start = 0; start < n; start += batchSize) {
    const batch = buildBatch(split, indices.slice(start, start + batchSize));
    // Nothing is masked: sharing the array tells the model to run one branch only.
    for (const m of MODALITIES) batch.modalities[m].corrupted = batch.modalities[m].complete;
    const inputs = toModelInputs(batch, model.config);
    let means: tf.Tensor[] = [];
    try {
      means = tf.tidy(() => {
        const enc = model.encode(inputs, { training: false });
        return MODALITIES.flatMap((m) => [tf.mean(enc[m].Hcom_t, 1), tf.mean(enc[m].Hspec_t, 1)]);
      });
      const values = await Promise.all(means.map((t) => t.data<'float32'>()));
      MODALITIES.forEach((m, mi) => {
        common[m].set(values[2 * mi], start * d);
        specific[m].set(values[2 * mi + 1], start * d);
      });
    } finally {
      tf.dispose(means);
      disposeInputs(inputs);
    }
  }
  return { n, d, common, specific };
}
