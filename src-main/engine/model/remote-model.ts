/**
 * A SentimentModel whose compute runs in the compute page (the desktop's hidden window, on
 * Chromium's WebGPU or threaded WASM): batches go over the compute protocol as typed arrays and
 * the page runs the real model from the registry. A local twin of the same kind, config and seed
 * (hence the same initial weights) stays on the engine thread: it is what checkpoints and resume
 * sidecars read, refreshed from the page whenever weights are exported, and what a run falls back
 * to if the page is lost.
 */
import type { PerModality, SplitData } from '#contract/dataset';
import type { ClipExplanation } from '#contract/explain';
import type { Ablation, TrainConfig } from '#contract/model';
import type { ComputeClient } from '../compute/compute-client';
import type { ComputeRequest } from '../compute/compute-protocol';
import type { ModelBatch } from './batch';
import { ParamStore } from './params';
import type { Init, ParamGroup, WeightData } from './params';
import type { BatchScore, ModelStepResult, ModelTrainer, SentimentModel, StepInput, TrainerState } from './sentiment-model';

let nextModelId = 1;
let nextTrainerId = 1;

/**
 * The local twin's parameters, seen through the remote model: exporting pulls the page's weights
 * (and refreshes the twin with them), importing sets both. Everything else reads the twin.
 */
class MirroredParams extends ParamStore {
  constructor(
    private readonly local: ParamStore,
    private readonly remote: RemoteModel,
  ) {
    super(local.seed);
  }

  override variable(name: string, shape: number[], init: Init, group: ParamGroup) {
    return this.local.variable(name, shape, init, group);
  }
  override names(group?: ParamGroup): string[] {
    return this.local.names(group);
  }
  override get(name: string) {
    return this.local.get(name);
  }
  override group(group: ParamGroup) {
    return this.local.group(group);
  }
  override count(group?: ParamGroup): number {
    return this.local.count(group);
  }
  override async exportWeights(): Promise<Map<string, WeightData>> {
    const weights = await this.remote.request<Map<string, WeightData>>({ op: 'exportWeights', model: this.remote.id });
    this.local.importWeights(weights);
    return weights;
  }
  override importWeights(weights: Map<string, WeightData>): void {
    this.local.importWeights(weights);
    // The link is ordered: every later request of this model sees these weights.
    this.remote.push({ op: 'importWeights', model: this.remote.id, weights });
  }
  override dispose(): void {
    this.local.dispose();
  }
}

/** A trainer whose optimisers live in the compute page. */
class RemoteTrainer implements ModelTrainer {
  private readonly id = nextTrainerId++;

  constructor(
    private readonly model: RemoteModel,
    train: TrainConfig,
    trainSize: number,
  ) {
    model.push({ op: 'trainer', model: model.id, trainer: this.id, train, trainSize });
  }

  step(input: StepInput): Promise<ModelStepResult> {
    return this.model.request({ op: 'step', trainer: this.id, input });
  }
  async endEpoch(epoch: number): Promise<void> {
    await this.model.request({ op: 'endEpoch', trainer: this.id, epoch });
  }
  exportState(): Promise<TrainerState> {
    return this.model.request({ op: 'exportState', trainer: this.id });
  }
  importState(state: TrainerState): void {
    this.model.push({ op: 'importState', trainer: this.id, state });
  }
  dispose(): void {
    this.model.push({ op: 'dispose', trainer: this.id });
  }
}

/** The remote model: the page computes, the local twin keeps the weights the engine writes. */
export class RemoteModel implements SentimentModel {
  /** The page's id of this model. */
  readonly id = nextModelId++;
  readonly params: ParamStore;
  /** The first failure of a request nobody awaited (a push), reported by the next request. */
  private failed: Error | null = null;

  constructor(
    private readonly client: ComputeClient,
    /** The twin on the engine thread's backend, built from the same definition, config and seed. */
    readonly local: SentimentModel,
    seed: number,
  ) {
    this.params = new MirroredParams(local.params, this);
    this.push({ op: 'create', model: this.id, kind: local.kind, config: local.config, seed });
  }

  get kind() {
    return this.local.kind;
  }
  get config() {
    return this.local.config;
  }
  get terms() {
    return this.local.terms;
  }

  /** Sends a request and awaits its answer (failing first with an earlier push's failure). */
  async request<T>(request: ComputeRequest): Promise<T> {
    let value: T;
    try {
      value = await this.client.call<T>(request);
    } catch (err) {
      // A failed create or import explains the failures after it better than they do.
      throw this.failed ?? err;
    }
    if (this.failed) throw this.failed;
    return value;
  }

  /** Sends a request whose answer nobody awaits; a failure is kept for the next request. */
  push(request: ComputeRequest): void {
    this.client.call(request).catch((err: Error) => (this.failed ??= err));
  }

  predict(batch: ModelBatch): Promise<Float32Array> {
    return this.request({ op: 'predict', model: this.id, batch });
  }
  score(batch: ModelBatch, ablations?: readonly Ablation[]): Promise<BatchScore> {
    return this.request({ op: 'score', model: this.id, batch, ablations });
  }
  /** DAR's explain of one clip in the page (`clip`: that clip alone; `key` names it, so mask edits reuse its explainer). */
  explain(key: string, clip: SplitData, masks: PerModality<Uint8Array>): Promise<ClipExplanation> {
    return this.request({ op: 'explain', model: this.id, key, clip, masks });
  }
  trainer(train: TrainConfig, trainSize: number): ModelTrainer {
    return new RemoteTrainer(this, train, trainSize);
  }
  dispose(): void {
    if (this.client.lost === null) this.push({ op: 'dispose', model: this.id });
    this.local.dispose();
  }
}
