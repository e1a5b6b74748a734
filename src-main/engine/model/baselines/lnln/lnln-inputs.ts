/**
 * LNLN's inputs from a typed-array ModelBatch. LNLN attends over every padded frame, so each
 * modality goes back to the dataset's padded length (the batcher trims to the longest clip);
 * its completeness label is 1 - the text missing rate, which we take from the batch's masks.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { PerModality } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';
import { DarError } from '../../../errors';
import type { BatchModality, ModelBatch } from '../../batch';

/** One branch (corrupted or complete) as [B, seqLen_m, d_m] tensors. */
export type LnlnBranch = PerModality<tf.Tensor3D>;

/** [B, T, d] with the batch's frames in front and zeros after them. */
function padded(bm: BatchModality, size: number, T: number, which: 'complete' | 'corrupted'): tf.Tensor3D {
  if (bm.t > T) throw new DarError('DATASET_SHAPE', `lnln: batch length ${bm.t} exceeds the model's padded length ${T}`);
  const src = bm[which];
  if (bm.t === T) return tf.tensor3d(src, [size, T, bm.d]);
  const out = new Float32Array(size * T * bm.d);
  for (let b = 0; b < size; b++) out.set(src.subarray(b * bm.t * bm.d, (b + 1) * bm.t * bm.d), b * T * bm.d);
  return tf.tensor3d(out, [size, T, bm.d]);
}

/** Uploads one branch of the batch, padded to the model's lengths. */
export function uploadBranch(batch: ModelBatch, seqLen: PerModality<number>, inputDims: PerModality<number>, which: 'complete' | 'corrupted'): LnlnBranch {
  const out = {} as LnlnBranch;
  for (const m of MODALITIES) {
    const bm = batch.modalities[m];
    if (bm.d !== inputDims[m]) throw new DarError('DATASET_SHAPE', `lnln: ${m} features have ${bm.d} dims, the model expects ${inputDims[m]}`);
    out[m] = padded(bm, batch.size, seqLen[m], which);
  }
  return out;
}

/**
 * The public code's completeness label is 1 - the text missing rate a sample was drawn with. The
 * batch carries masks, not rates: the rate is estimated as the masked share of the maskable
 * tokens ([CLS] and [SEP], positions 0 and len - 1, are never masked); 1 when none is maskable.
 */
export function completenessLabels(batch: ModelBatch): Float32Array {
  const { masks, lengths, t } = batch.modalities.l;
  return Float32Array.from({ length: batch.size }, (_, b) => {
    const maskable = lengths[b] - 2;
    if (maskable <= 0) return 1;
    let masked = 0;
    for (let i = 1; i <= maskable; i++) masked += masks[b * t + i];
    return 1 - masked / maskable;
  });
}
