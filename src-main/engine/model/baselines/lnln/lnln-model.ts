/**
 * LNLN (Zhang et al., NeurIPS 2024, "Towards Robust Multimodal Sentiment Analysis with Incomplete
 * Data"; public code Haoyu-ha/LNLN) as a SentimentModel. docs/baselines.md ("LNLN") lists every
 * quirk of the public code kept here and every deviation our inputs force.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TrainConfig } from '#contract/model';
import { DarError } from '../../../errors';
import type { ModelBatch } from '../../batch';
import { ParamStore } from '../../params';
import type { BatchScore, ModelTrainer, SentimentModel } from '../../sentiment-model';
import type { LnlnConfig } from './lnln-config';
import { completenessLabels, uploadBranch } from './lnln-inputs';
import { LNLN_TERMS, lnlnLosses, termVector } from './lnln-losses';
import type { LnlnTerm } from './lnln-losses';
import { LnlnNet } from './lnln-net';
import type { LnlnOutputs } from './lnln-net';
import { LnlnTrainer } from './lnln-trainer';

/** LNLN on the engine's tensors. */
export class LnlnModel implements SentimentModel {
  readonly kind = 'lnln' as const;
  readonly params: ParamStore;
  readonly terms: readonly string[] = LNLN_TERMS;
  readonly net: LnlnNet;

  constructor(
    readonly config: LnlnConfig,
    seed: number,
  ) {
    this.params = new ParamStore(seed);
    this.net = new LnlnNet(this.params, config);
  }

  /** The forward pass on a batch (with the complete branch when `withComplete`); tensors are the caller's. */
  run(batch: ModelBatch, withComplete: boolean): LnlnOutputs {
    const { seqLen, inputDims } = this.config;
    const corrupted = uploadBranch(batch, seqLen, inputDims, 'corrupted');
    const complete = withComplete ? uploadBranch(batch, seqLen, inputDims, 'complete') : null;
    return this.net.forward(corrupted, complete);
  }

  /** Loss terms of a forward pass on a labelled batch (inside the caller's tidy or tape). */
  losses(batch: ModelBatch, out: LnlnOutputs): Record<LnlnTerm, tf.Scalar> {
    if (!batch.labels) throw new DarError('ARG_INVALID', 'lnln: a batch without labels cannot be scored');
    return lnlnLosses(out, tf.tensor1d(batch.labels), tf.tensor1d(completenessLabels(batch)), this.config);
  }

  /** Predictions on the corrupted branch, one per clip. */
  async predict(batch: ModelBatch): Promise<Float32Array> {
    const pred = tf.tidy(() => tf.reshape(this.run(batch, false).pred, [-1]));
    try {
      return new Float32Array(await pred.data());
    } finally {
      pred.dispose();
    }
  }

  /** Every term (the complete branch included: the batch has it) and the predictions. */
  async score(batch: ModelBatch): Promise<BatchScore> {
    const [terms, pred] = tf.tidy(() => {
      const out = this.run(batch, true);
      return [termVector(this.losses(batch, out)), tf.reshape(out.pred, [-1])];
    });
    try {
      const [t, p] = await Promise.all([terms.data(), pred.data()]);
      return { terms: Float64Array.from(t), predictions: new Float32Array(p) };
    } finally {
      tf.dispose([terms, pred]);
    }
  }

  /** AdamW over every parameter, no clipping (the public train.py). */
  trainer(train: TrainConfig, _trainSize?: number): ModelTrainer {
    return new LnlnTrainer(this, train);
  }

  /** Frees every variable. */
  dispose(): void {
    this.params.dispose();
  }
}
