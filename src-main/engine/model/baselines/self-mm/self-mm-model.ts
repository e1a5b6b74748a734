/** Self-MM (Yu et al., 2021) as MMSA implements it, behind the engine's SentimentModel. */
import * as tf from '@tensorflow/tfjs-core';
import type { TrainConfig } from '#contract/model';
import type { ModelBatch } from '../../batch';
import { ParamStore } from '../../params';
import type { BatchScore, ModelTrainer, SentimentModel } from '../../sentiment-model';
import { registerBaselineGradients } from '../common/baseline-gradients';
import { labelTensor, readScalars } from '../common/batch-scores';
import type { SelfMmConfig } from './self-mm-config';
import { buildSelfMmModules, selfMmForward } from './self-mm-forward';
import type { SelfMmModules, SelfMmOutputs } from './self-mm-forward';
import { SELF_MM_TERMS, selfMmEvalLosses } from './self-mm-losses';
import { SelfMmTrainer } from './self-mm-trainer';

/** Self-MM's layers and passes; the label memory lives in its trainer. */
export class SelfMmModel implements SentimentModel {
  readonly kind = 'self-mm' as const;
  readonly params: ParamStore;
  readonly terms = SELF_MM_TERMS;
  readonly modules: SelfMmModules;

  constructor(
    readonly config: SelfMmConfig,
    seed: number,
  ) {
    registerBaselineGradients();
    this.params = new ParamStore(seed);
    this.modules = buildSelfMmModules(this.params, config);
  }

  /** The forward pass on one branch (kept tensors: call inside a tidy or a gradient scope). */
  forward(batch: ModelBatch, branch: 'corrupted' | 'complete', training: boolean, seed: number): SelfMmOutputs {
    return selfMmForward(this.modules, this.config, batch, branch, training, seed);
  }

  /** Eval-mode fusion predictions (MMSA's M) on the corrupted branch. */
  async predict(batch: ModelBatch): Promise<Float32Array> {
    const [p] = await readScalars([tf.tidy(() => this.forward(batch, 'corrupted', false, 0).fusion.pred)]);
    return p;
  }

  /** Eval-mode loss terms (SELF_MM_TERMS order) and fusion predictions on the corrupted branch. */
  async score(batch: ModelBatch): Promise<BatchScore> {
    const [terms, pred] = tf.tidy(() => {
      const out = this.forward(batch, 'corrupted', false, 0);
      const losses = selfMmEvalLosses(out, labelTensor(batch));
      return [tf.stack(SELF_MM_TERMS.map((k) => losses[k])), out.fusion.pred];
    });
    const [t, p] = await readScalars([terms, pred]);
    return { terms: Float64Array.from(t), predictions: p };
  }

  /** A trainer with MMSA's three Adam groups, 4-batch accumulation and the label memory of `trainSize` clips. */
  trainer(_train: TrainConfig, trainSize: number): ModelTrainer {
    return new SelfMmTrainer(this, trainSize);
  }

  dispose(): void {
    this.params.dispose();
  }
}
