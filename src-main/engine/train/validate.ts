import type { SplitData } from '#contract/dataset';
import type { Metrics } from '#contract/eval';
import type { Ablation, LossTerms } from '#contract/model';
import type { SplitMasks } from '../data/corruption';
import { computeMetrics } from '../eval/metrics';
import type { SentimentModel } from '../model/sentiment-model';
import { buildBatch } from './batcher';

/** Loss terms (sample-weighted means over batches), predictions and metrics of a split in eval mode. */
export interface SplitScore {
  terms: LossTerms;
  predictions: Float32Array;
  metrics: Metrics;
}

/**
 * Scores a normalised split under fixed masks in eval mode, for any model: every loss term it
 * reports (the validation L_sel that selects the model) and MMSA's metrics of the predictions.
 */
export async function scoreSplit(model: SentimentModel, split: SplitData, masks: SplitMasks, ablations: readonly Ablation[], batchSize: number): Promise<SplitScore> {
  const keys = model.terms;
  const sums = new Float64Array(keys.length);
  const predictions = new Float32Array(split.n);
  for (let start = 0; start < split.n; start += batchSize) {
    const size = Math.min(batchSize, split.n - start);
    const batch = buildBatch(split, Array.from({ length: size }, (_, i) => start + i), masks);
    const { terms, predictions: y } = await model.score(batch, ablations);
    for (let k = 0; k < keys.length; k++) sums[k] += terms[k] * size;
    predictions.set(y, start);
  }
  const terms = Object.fromEntries(keys.map((k, i) => [k, sums[i] / split.n])) as LossTerms;
  return { terms, predictions, metrics: computeMetrics(predictions, split.labels) };
}
