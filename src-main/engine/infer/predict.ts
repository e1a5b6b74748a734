import type { SplitData } from '#contract/dataset';
import type { SplitMasks } from '../data/corruption';
import type { SentimentModel } from '../model/sentiment-model';
import { buildBatch } from '../train/batcher';

/** Default batch size for inference passes. */
export const PREDICT_BATCH = 64;

/**
 * Predictions of any model for every clip of a normalised split under `masks` (eval mode, no
 * dropout). Batches go up one at a time so memory stays flat on MOSEI-sized splits.
 */
export async function predictSplit(model: SentimentModel, split: SplitData, masks: SplitMasks | undefined, batchSize = PREDICT_BATCH): Promise<Float32Array> {
  const out = new Float32Array(split.n);
  for (let start = 0; start < split.n; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, split.n - start) }, (_, i) => start + i);
    out.set(await model.predict(buildBatch(split, indices, masks)), start);
  }
  return out;
}
