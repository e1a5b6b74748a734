/** MISA (Hazarika et al., 2020) as MMSA implements it, behind the engine's SentimentModel. */
import * as tf from '@tensorflow/tfjs-core';
import type { TrainConfig } from '#contract/model';
import type { ModelBatch } from '../../batch';
import { ParamStore } from '../../params';
import type { BatchScore, ModelTrainer, SentimentModel } from '../../sentiment-model';
import { registerBaselineGradients } from '../common/baseline-gradients';
import { labelTensor, readScalars } from '../common/batch-scores';
import type { MisaConfig } from './misa-config';
import { misaForward } from './misa-forward';
import type { MisaOutputs, MisaPassMode } from './misa-forward';
import { MISA_TERMS, misaLosses } from './misa-losses';
import { buildMisaModules } from './misa-modules';
import type { MisaModules } from './misa-modules';
import { MisaTrainer } from './misa-trainer';

/** MISA's layers and passes; training state lives in its trainer. */
export class MisaModel implements SentimentModel {
  readonly kind = 'misa' as const;
  readonly params: ParamStore;
  readonly terms = MISA_TERMS;
  readonly modules: MisaModules;

  constructor(
    readonly config: MisaConfig,
    seed: number,
  ) {
    registerBaselineGradients();
    this.params = new ParamStore(seed);
    this.modules = buildMisaModules(this.params, config);
  }

  /** The forward pass on one branch (kept tensors: call inside a tidy or a gradient scope). */
  forward(batch: ModelBatch, branch: 'corrupted' | 'complete', mode: MisaPassMode): MisaOutputs {
    return misaForward(this.modules, this.config, batch, branch, mode);
  }

  /** Eval-mode predictions on the corrupted branch. */
  async predict(batch: ModelBatch): Promise<Float32Array> {
    const pred = tf.tidy(() => tf.reshape(this.forward(batch, 'corrupted', { training: false, seed: 0 }).pred, [-1]));
    try {
      return new Float32Array(await pred.data<'float32'>());
    } finally {
      pred.dispose();
    }
  }

  /** Eval-mode loss terms (MISA_TERMS order) and predictions on the corrupted branch. */
  async score(batch: ModelBatch): Promise<BatchScore> {
    const [terms, pred] = tf.tidy(() => {
      const out = this.forward(batch, 'corrupted', { training: false, seed: 0 });
      const losses = misaLosses(out, labelTensor(batch), this.config);
      return [tf.stack(MISA_TERMS.map((k) => losses[k])), tf.reshape(out.pred, [-1])];
    });
    const [t, p] = await readScalars([terms, pred]);
    return { terms: Float64Array.from(t), predictions: p };
  }

  /** A trainer with MMSA's optimiser (Adam, gradient accumulation, element-wise clipping). */
  trainer(_train: TrainConfig, _trainSize: number): ModelTrainer {
    return new MisaTrainer(this);
  }

  dispose(): void {
    this.params.dispose();
  }
}
