import * as tf from '@tensorflow/tfjs-core';
import type { PerModality, SplitData } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';
import type { Metrics } from '#contract/eval';
import type { Ablation, LossTerms } from '#contract/model';
import type { SplitMasks } from '../data/corruption';
import { computeMetrics } from '../eval/metrics';
import { clubLoss, computeLosses } from '../losses';
import type { DarModel } from '../model/dar-model';
import { disposeInputs, toModelInputs } from '../model/inputs/inputs';
import { buildBatch } from './batcher';
import { MAIN_TERMS } from './steps';


/** Loss terms (sample-weighted means over batches), predictions and metrics of a split in eval mode. */
export interface SplitScore {
  terms: LossTerms;
  predictions: Float32Array;
  metrics: Metrics;
}

/**
 * Scores a normalised split under fixed masks in eval mode: every loss term (the validation
 * L_sel that selects the model) and MMSA's metrics of the predictions.
 */
export async function scoreSplit(model: DarModel, split: SplitData, masks: SplitMasks, ablations: readonly Ablation[], batchSize: number): Promise<SplitScore> {
  const keys = [...MAIN_TERMS, 'club'] as const;
  const sums = new Float64Array(keys.length);
  const predictions = new Float32Array(split.n);
  for (let start = 0; start < split.n; start += batchSize) {
    const size = Math.min(batchSize, split.n - start);
    const batch = buildBatch(split, Array.from({ length: size }, (_, i) => start + i), masks);
    const inputs = toModelInputs(batch, model.config);
    let outs: tf.Tensor[] = [];
    try {
      outs = tf.tidy(() => {
        const out = model.forward(inputs, { training: false, club: true });
        const { terms } = computeLosses(out, tf.tensor1d(batch.labels!), model.config, ablations);
        const yCom = {} as PerModality<tf.Tensor3D>;
        const est = {} as PerModality<{ mu: tf.Tensor3D; logvar: tf.Tensor3D }>;
        for (const m of MODALITIES) {
          yCom[m] = out.perModality[m].Hcom_t;
          est[m] = { mu: out.perModality[m].club_mu!, logvar: out.perModality[m].club_logvar! };
        }
        return [tf.stack([...MAIN_TERMS.map((k) => terms[k]), clubLoss(yCom, est)]), out.y_hat];
      });
      // Reads are awaited: sync reads break on WebGPU.
      const [v, y] = await Promise.all(outs.map((t) => t.data<'float32'>()));
      for (let k = 0; k < keys.length; k++) sums[k] += v[k] * size;
      predictions.set(y, start);
    } finally {
      tf.dispose(outs);
      disposeInputs(inputs);
    }
  }
  const terms = Object.fromEntries(keys.map((k, i) => [k, sums[i] / split.n])) as unknown as LossTerms;
  return { terms, predictions, metrics: computeMetrics(predictions, split.labels) };
}
