/**
 * DAR behind the SentimentModel interface: eval-mode predictions and scores of one ModelBatch,
 * and the trainer that owns DAR's two optimisers (AdamW on the main weights, Adam on CLUB's).
 * The numbers are those of trainStep and computeLosses; this file only moves batches in and
 * terms out.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { PerModality } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';
import type { Ablation, TrainConfig } from '#contract/model';
import { DarError } from '../errors';
import { clubLoss, computeLosses } from '../losses';
import { usesClub } from '../train/config';
import { createAdam, createAdamW } from '../train/optimizer';
import { MAIN_TERMS, trainStep } from '../train/steps';
import type { StepContext } from '../train/steps';
import type { ModelBatch } from './batch';
import type { DarModel } from './dar-model';
import { disposeInputs, toModelInputs } from './inputs/inputs';
import type { BatchScore, ModelStepResult, ModelTrainer, StepInput, TrainerState } from './sentiment-model';

/** DAR's eval-mode predictions of one batch (corrupted branch). */
export async function darPredict(model: DarModel, batch: ModelBatch): Promise<Float32Array> {
  const inputs = toModelInputs(batch, model.config);
  let y: tf.Tensor | undefined;
  try {
    y = tf.tidy(() => model.forward(inputs, { training: false }).y_hat);
    // Awaited: sync reads break on WebGPU.
    return await y.data<'float32'>();
  } finally {
    y?.dispose();
    disposeInputs(inputs);
  }
}

/** Every DAR loss term (DAR_LOSS_TERMS order, CLUB's own NLL last) and the predictions of one batch. */
export async function darScore(model: DarModel, batch: ModelBatch, ablations: readonly Ablation[] = []): Promise<BatchScore> {
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
    const [v, y] = await Promise.all(outs.map((t) => t.data<'float32'>()));
    return { terms: Float64Array.from(v), predictions: y };
  } finally {
    tf.dispose(outs);
    disposeInputs(inputs);
  }
}

/** DAR's trainer: a CLUB step then the main step per batch (trainStep), with its two optimisers. */
export class DarTrainer implements ModelTrainer {
  private readonly ctx: StepContext;

  constructor(
    model: DarModel,
    private readonly train: TrainConfig,
  ) {
    this.ctx = {
      model,
      config: model.config,
      ablations: train.ablations,
      useClub: usesClub(train.ablations),
      main: createAdamW(model.params.group('main'), train.lr, train.weightDecay),
      club: createAdam(model.params.group('club'), train.clubLr),
      clipNorm: train.clipNorm,
    };
  }

  /** One batch: both branches go up, the labels as a vector. */
  async step(input: StepInput): Promise<ModelStepResult> {
    const inputs = toModelInputs(input.batch, this.ctx.config);
    const labels = tf.tensor1d(input.batch.labels!);
    try {
      const r = await trainStep(this.ctx, inputs, labels, input.seed, input.lr, this.train.clubLr);
      return { terms: r.terms, gradNorm: r.gradNorm, skipped: r.skipped };
    } finally {
      labels.dispose();
      disposeInputs(inputs);
    }
  }

  /** Both optimisers' moments, under the sidecar prefixes DAR has always used. */
  async exportState(): Promise<TrainerState> {
    return { optimizers: { adam: await this.ctx.main.exportState(), club: await this.ctx.club.exportState() } };
  }

  /** Restores exportState()'s output (CHECKPOINT_MISMATCH when names or shapes differ). */
  importState(state: TrainerState): void {
    const adam = state.optimizers?.adam;
    const club = state.optimizers?.club;
    if (!adam || !club) throw new DarError('CHECKPOINT_MISMATCH', 'DAR trainer state: expected optimizer states "adam" and "club"');
    this.ctx.main.importState(adam);
    this.ctx.club.importState(club);
  }

  /** Frees the optimisers' moments (the model stays). */
  dispose(): void {
    this.ctx.main.dispose();
    this.ctx.club.dispose();
  }
}
