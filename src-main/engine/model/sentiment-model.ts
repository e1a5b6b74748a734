/**
 * The one interface DAR and every baseline (MISA, Self-MM, LNLN) implement, so training,
 * selection, early stopping, resume, robustness sweeps, checkpoints and background predictions
 * run any model without special cases. Batches cross it as typed arrays (`ModelBatch`): each
 * model uploads them in its own layout (DAR's alignment im2col, a baseline's padded sequences),
 * and a host that runs compute elsewhere (a hidden window, a GPU process) can move them as
 * transferred buffers.
 */
import type { PerModality } from '#contract/dataset';
import type { Ablation, ModelKind, TrainConfig } from '#contract/model';
import type { OptimizerState } from '../train/optimizer';
import type { ModelBatch } from './batch';
import type { ParamStore, WeightData } from './params';

/**
 * A model's configuration as stored in its checkpoint: plain JSON, validated by the model's
 * registry entry (dims and lengths of the dataset always included).
 */
export type ModelConfigJson = Record<string, unknown>;

/** What one evaluation batch yields: loss terms in `SentimentModel.terms` order, and predictions. */
export interface BatchScore {
  terms: Float64Array;
  predictions: Float32Array;
}

/** What the trainer passes to each step. */
export interface StepInput {
  batch: ModelBatch;
  /** Dropout and any other per-step randomness. */
  seed: number;
  /** Learning rate of this epoch (after warm-up and schedule). */
  lr: number;
  epoch: number;
}

/** What one training step reports: every loss term by name, the gradient norm, skip flag. */
export interface ModelStepResult {
  terms: Record<string, number>;
  gradNorm: number;
  skipped: boolean;
}

/**
 * The optimiser-side state a resume sidecar keeps (optimisers, label memories, counters).
 * `optimizers` (by a short prefix such as 'adam') and `weights` (other tensors the trainer owns,
 * e.g. Self-MM's label memory; not the model's weights, which the loop saves itself) are stored
 * as tensors; every other key must be plain JSON and is stored in the sidecar's metadata.
 */
export type TrainerState = Record<string, unknown> & {
  optimizers?: Record<string, OptimizerState>;
  weights?: Map<string, WeightData>;
};

/** The dataset's feature dims and padded lengths: every model config carries them. */
export interface DatasetShape {
  inputDims: PerModality<number>;
  seqLen: PerModality<number>;
}

/** Owns a model's optimisers and whatever else a run accumulates (Self-MM's label memory). */
export interface ModelTrainer {
  /** One training batch; the batch has both branches (corrupted and complete). */
  step(input: StepInput): Promise<ModelStepResult>;
  /** Called after each epoch's last step (before validation). */
  endEpoch?(epoch: number): Promise<void>;
  exportState(): Promise<TrainerState>;
  importState(state: TrainerState): void;
  dispose(): void;
}

/** A sentiment model on the engine's tensors. */
export interface SentimentModel {
  readonly kind: ModelKind;
  readonly config: ModelConfigJson;
  readonly params: ParamStore;
  /** Names of the loss terms score() and the trainer report; always has 'task', 'total', 'sel'. */
  readonly terms: readonly string[];
  /** Eval-mode predictions (corrupted branch), one per clip. Reads are async (WebGPU). */
  predict(batch: ModelBatch): Promise<Float32Array>;
  /**
   * Eval-mode loss terms and predictions of one batch; 'sel' selects the model on validation.
   * `ablations` are the run's loss switches (TrainConfig.ablations); a model without any ignores them.
   */
  score(batch: ModelBatch, ablations?: readonly Ablation[]): Promise<BatchScore>;
  /** A trainer for one run; `trainSize` is the training split's clip count. */
  trainer(train: TrainConfig, trainSize: number): ModelTrainer;
  dispose(): void;
}

/** How a model kind is built, validated and described (one entry per kind in the registry). */
export interface ModelDefinition<C extends ModelConfigJson = ModelConfigJson> {
  kind: ModelKind;
  /** Human name for the studio ("DAR", "MISA", "Self-MM", "LNLN"). */
  label: string;
  /** The config for a dataset's dims and lengths, with overrides applied and validated. */
  configFor(dims: DatasetShape, overrides?: Partial<C>): C;
  /** Throws ARG_INVALID naming the first bad field (including an unknown one). */
  validate(config: unknown): asserts config is C;
  create(config: C, seed: number): SentimentModel;
}
