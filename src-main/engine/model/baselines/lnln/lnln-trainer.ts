/**
 * LNLN's training step (public train.py): one forward on both branches, the weighted loss, one
 * AdamW step over every parameter, no gradient clipping. The learning rate comes from the
 * engine's schedule (docs/baselines.md compares it with the public warm-up + cosine).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TrainConfig } from '#contract/model';
import { tfNameIndex } from '../../../train/steps';
import { clipByGlobalNorm, createAdamW } from '../../../train/optimizer';
import type { Adam } from '../../../train/optimizer';
import { DarError } from '../../../errors';
import type { ModelStepResult, ModelTrainer, StepInput, TrainerState } from '../../sentiment-model';
import { LNLN_TERMS, termVector } from './lnln-losses';
import type { LnlnModel } from './lnln-model';

/** Owns LNLN's optimiser for one run. */
export class LnlnTrainer implements ModelTrainer {
  private readonly adam: Adam;
  private readonly vars: Map<string, tf.Variable>;

  constructor(
    private readonly model: LnlnModel,
    train: TrainConfig,
  ) {
    this.vars = model.params.group('main');
    this.adam = createAdamW(this.vars, train.lr, train.weightDecay ?? 1e-4);
  }

  /** One batch: forward on the corrupted and complete branches, backward, AdamW. */
  async step(input: StepInput): Promise<ModelStepResult> {
    const byTfName = tfNameIndex(this.vars);
    let termVec: tf.Tensor1D | undefined;
    const owned: tf.Tensor[] = [];
    try {
      const { value, grads } = tf.variableGrads(() => {
        const out = this.model.run(input.batch, true);
        const terms = this.model.losses(input.batch, out);
        termVec = tf.keep(termVector(terms));
        return terms.total;
      }, [...this.vars.values()]);
      const named = new Map(Object.entries(grads).map(([k, g]) => [byTfName.get(k) ?? k, g]));
      owned.push(value, ...named.values());
      // No clipping in the public code: an infinite bound only measures the norm.
      const { grads: same, norm } = await clipByGlobalNorm(named, Infinity);
      owned.push(...same.values());
      const skipped = !Number.isFinite(norm);
      if (!skipped) this.adam.step(same, input.lr);
      const values = await termVec!.data();
      return { terms: Object.fromEntries(LNLN_TERMS.map((k, i) => [k, values[i]])), gradNorm: norm, skipped };
    } finally {
      tf.dispose([...owned, ...(termVec ? [termVec] : [])]);
    }
  }

  /** The optimiser's moments and step count. */
  async exportState(): Promise<TrainerState> {
    return { optimizers: { adam: await this.adam.exportState() } };
  }

  /** Restores exportState()'s output (CHECKPOINT_MISMATCH when it is not LNLN's). */
  importState(state: TrainerState): void {
    const adam = state.optimizers?.adam;
    if (!adam) throw new DarError('CHECKPOINT_MISMATCH', 'LNLN trainer state: expected optimizer state "adam"');
    this.adam.importState(adam);
  }

  /** Frees the optimiser's moments. */
  dispose(): void {
    this.adam.dispose();
  }
}
