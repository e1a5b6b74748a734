/**
 * MISA's optimisation as MMSA's trains/singleTask/MISA.py runs it: Adam (lr from the config,
 * constant), gradients summed over `updateEpochs` batches, clip_grad_value_ after every backward.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Adam } from '../../../train/optimizer';
import { DarError } from '../../../errors';
import type { ModelStepResult, ModelTrainer, StepInput, TrainerState } from '../../sentiment-model';
import { lossGrads } from '../common/baseline-step';
import { GradAccumulator, coupledDecay, gradNorm } from '../common/grad-accumulator';
import { labelTensor } from '../common/batch-scores';
import { MISA_TERMS, misaLosses } from './misa-losses';
import type { MisaModel } from './misa-model';

/** One MISA run's optimiser and accumulation state. */
export class MisaTrainer implements ModelTrainer {
  private readonly adam: Adam;
  private readonly acc: GradAccumulator;
  private readonly vars: Map<string, tf.Variable>;

  constructor(private readonly model: MisaModel) {
    this.vars = model.params.group('main');
    // torch.optim.Adam: plain Adam; its weight decay (0 for MOSI) is L2 on the gradient
    this.adam = new Adam(this.vars, { lr: model.config.lr });
    this.acc = new GradAccumulator(this.vars, model.config.updateEpochs, model.config.gradClip);
  }

  /** One batch: train-mode losses on the corrupted branch, accumulate, step when a group is full. */
  async step(input: StepInput): Promise<ModelStepResult> {
    const { model } = this;
    const { terms, grads } = await lossGrads(model.params, MISA_TERMS, () => {
      const out = model.forward(input.batch, 'corrupted', { training: true, seed: input.seed });
      return misaLosses(out, labelTensor(input.batch), model.config);
    });
    if (!grads) return { terms, gradNorm: NaN, skipped: true };
    const norm = await gradNorm(grads);
    const full = this.acc.add(grads);
    if (full) {
      const decayed = coupledDecay(full, this.vars, model.config.weightDecay);
      this.adam.step(decayed ?? full, model.config.lr);
      if (decayed) tf.dispose([...decayed.values()]);
    }
    return { terms, gradNorm: norm, skipped: false };
  }

  /** MMSA drops the gradients of a trailing partial group. */
  async endEpoch(): Promise<void> {
    this.acc.endEpoch();
  }

  async exportState(): Promise<TrainerState> {
    const acc = await this.acc.exportState('accumulated');
    return { optimizers: { main: await this.adam.exportState() }, weights: acc.tensors, accumulatedLeft: acc.left };
  }

  importState(state: TrainerState): void {
    const main = state.optimizers?.main;
    if (!main) throw new DarError('CHECKPOINT_MISMATCH', 'misa trainer state: no optimizer "main"');
    this.adam.importState(main);
    this.acc.importState('accumulated', state.accumulatedLeft, state.weights);
  }

  dispose(): void {
    this.acc.dispose();
    this.adam.dispose();
  }
}
