/**
 * The engine's methods as the worker serves them: plain async functions over the engine, with
 * the state a long-lived engine needs (the backend, opened datasets, the running training).
 */
import type { Dataset, SplitName } from '#contract/dataset';
import type { BackendInfo, EngineEvent, EngineMethods, EvalParams, PredictionTable, TrainParams } from '#contract/worker-protocol';
import type { RobustnessReport } from '#contract/eval';
import type { TrainSummary } from '#contract/train';
import { initBackend } from '../engine/backend';
import { checkDatasetMatches, checkSameModel, loadModel, loadModelFor } from '../engine/checkpoint/model-checkpoint';
import { DEFAULT_MODEL_KIND, modelDefinition } from '../engine/model/registry';
import { applyNormaliser } from '../engine/data/normaliser';
import { openDataset } from '../engine/data/open-dataset';
import { DarError } from '../engine/errors';
import { evaluateRobustness } from '../engine/eval/robustness';
import type { Predictor } from '../engine/eval/robustness';
import { predictSplit } from '../engine/infer/predict';
import { trainConfigFor } from '../engine/train/config';
import { trainModel } from '../engine/train/trainer';

/** How many opened datasets stay in memory (MOSEI is several GB). */
const DATASET_CACHE = 2;

/** The one training run the engine allows at a time; `stop` asks it to end after its step. */
export interface TrainingSlot {
  stop: boolean;
  /** Who holds it, for the refusal message (e.g. "a studio run", "job 3"). */
  owner: string;
}

/** Options of {@link EngineService.evaluate} that a caller inside the worker may add. */
export interface EvaluateOptions {
  /** Checked between conditions; true ends the sweep with ARG_INVALID "cancelled". */
  cancelled?: () => boolean;
}

/** The engine as one object; every method may throw a DarError. */
export class EngineService {
  private backend: BackendInfo | null = null;
  private readonly datasets = new Map<string, Promise<Dataset>>();
  private training: TrainingSlot | null = null;

  constructor(private readonly emit: (event: EngineEvent) => void) {}

  /** Chooses the backend (once; later calls return the first choice). */
  async init(params: EngineMethods['init'][0]): Promise<BackendInfo> {
    if (!this.backend) this.backend = await initBackend({ prefer: params.backend });
    return this.backend;
  }

  private async ready(): Promise<BackendInfo> {
    return this.backend ?? this.init({});
  }

  /** Opens a dataset, reusing a recent one. */
  async dataset(path: string): Promise<Dataset> {
    let entry = this.datasets.get(path);
    if (!entry) {
      entry = openDataset(path);
      this.datasets.set(path, entry);
      entry.catch(() => this.datasets.delete(path));
      while (this.datasets.size > DATASET_CACHE) this.datasets.delete(this.datasets.keys().next().value!);
    }
    return entry;
  }

  /** Takes the training slot, synchronously (ARG_INVALID while another run holds it). */
  claimTraining(owner: string): TrainingSlot {
    if (this.training) throw new DarError('ARG_INVALID', `a training run is already going (${this.training.owner}); stop it first`);
    const slot: TrainingSlot = { stop: false, owner };
    this.training = slot;
    return slot;
  }

  /** Gives the slot back (no-op if another holds it now). */
  releaseTraining(slot: TrainingSlot): void {
    if (this.training === slot) this.training = null;
  }

  /** True while a run holds the slot. */
  get trainingActive(): boolean {
    return this.training !== null;
  }

  /** Trains one model; refuses to start while another run is going. */
  async train(params: TrainParams): Promise<TrainSummary> {
    const flag = this.claimTraining('a `train` request');
    try {
      const backend = await this.ready();
      const dataset = await this.dataset(params.data);
      const modelKind = params.modelKind ?? DEFAULT_MODEL_KIND;
      const shape = { inputDims: dataset.info.dims, seqLen: dataset.info.seqLen };
      return await trainModel({
        dataset,
        modelKind,
        model: modelDefinition(modelKind).configFor(shape, params.model),
        train: trainConfigFor(params.preset, params.train),
        out: params.out,
        resume: params.resume,
        backend: backend.label,
        onProgress: (progress) => this.emit({ type: 'train-progress', progress }),
        shouldStop: () => flag.stop,
      });
    } finally {
      this.releaseTraining(flag);
    }
  }

  /** Asks the running training to stop after its current step. */
  stopTraining(): { stopping: boolean } {
    if (!this.training) return { stopping: false };
    this.training.stop = true;
    return { stopping: true };
  }

  /** The robustness report of one or more checkpoints on a split (test by default). */
  async evaluate(params: EvalParams, options: EvaluateOptions = {}): Promise<RobustnessReport> {
    await this.ready();
    if (!params.checkpoints.length) throw new DarError('ARG_INVALID', 'evaluate needs at least one checkpoint');
    const dataset = await this.dataset(params.data);
    const splitName: SplitName = params.split ?? 'test';
    const split = dataset.splits[splitName];
    const loaded = await Promise.all(params.checkpoints.map((c) => loadModel(c)));
    try {
      checkSameModel(
        loaded.map((l) => l.meta),
        params.checkpoints,
      );
      const predictors: Predictor[] = loaded.map(({ model, meta }) => {
        checkDatasetMatches(meta, dataset);
        const normalised = applyNormaliser(split, meta.normaliser);
        return async (_split, masks) => predictSplit(model, normalised, masks);
      });
      return await evaluateRobustness(split, predictors, {
        splitName,
        seeds: params.seeds,
        onProgress: (done, total) => this.emit({ type: 'eval-progress', done, total, checkpoint: params.checkpoints[0] }),
        cancelled: options.cancelled,
      });
    } finally {
      for (const { model } of loaded) model.dispose();
    }
  }

  /** Complete-input predictions of a checkpoint on a split (test by default). */
  async predict(params: EngineMethods['predict'][0]): Promise<PredictionTable> {
    await this.ready();
    const dataset = await this.dataset(params.data);
    const splitName: SplitName = params.split ?? 'test';
    const { model, meta } = await loadModelFor(params.checkpoint, dataset);
    try {
      const split = dataset.splits[splitName];
      const predictions = await predictSplit(model, applyNormaliser(split, meta.normaliser), undefined);
      return { split: splitName, ids: split.ids, labels: split.labels, predictions };
    } finally {
      model.dispose();
    }
  }
}
