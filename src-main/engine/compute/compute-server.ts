/**
 * The compute page's side of the compute protocol: it owns real models and trainers (built by
 * the model registry on whatever backend the page runs), answers each request in arrival order,
 * and never touches files: batches come in, numbers go out. Runs in the browser and in Node
 * (tests, a fallback), so it imports no Node, Electron or DOM.
 */
import type { PerModality, SplitData } from '#contract/dataset';
import type { ClipExplanation } from '#contract/explain';
import type { ModelKind } from '#contract/model';
import type { BackendInfo } from '#contract/worker-protocol';
import { DarError, toErrorInfo } from '../errors';
import { ExplainCache } from '../infer/explain';
import { DarModel } from '../model/dar-model';
import type { ModelTrainer, SentimentModel } from '../model/sentiment-model';
import type { ComputeCall, ComputeLink, ComputeMessage, ComputeRequest } from './compute-protocol';
import { decodeCompute, encodeCompute } from './compute-protocol';

/** How the server builds a model (the registry's createModel: validates the config, MODEL_UNKNOWN for a kind it lacks). */
export type CreateModel = (kind: ModelKind, config: unknown, seed: number) => SentimentModel;

/** Serves compute requests on a link until the page goes away. */
export class ComputeServer {
  private readonly models = new Map<number, SentimentModel>();
  private readonly trainers = new Map<number, ModelTrainer>();
  private readonly explainers = new Map<number, { cache: ExplainCache; key: string; clip: SplitData }>();
  /** Requests run one after another: a step must see the weights the previous one left. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly link: ComputeLink,
    private readonly create: CreateModel,
  ) {
    link.onFrame((frame) => {
      this.queue = this.queue.then(() => this.answer(frame));
    });
  }

  /** Announces the page's backend; the engine sends nothing before it hears this. */
  ready(info: BackendInfo): void {
    this.send({ kind: 'ready', info });
  }

  /** Tells the engine the page cannot compute any more (e.g. the GPU device was lost). */
  lost(reason: string): void {
    this.send({ kind: 'lost', reason });
  }

  /** Models and trainers alive (the leak check of the tests). */
  get size(): { models: number; trainers: number } {
    return { models: this.models.size, trainers: this.trainers.size };
  }

  private send(message: ComputeMessage): void {
    this.link.post(encodeCompute(message));
  }

  private async answer(frame: Uint8Array): Promise<void> {
    let id = -1;
    try {
      const call = decodeCompute(frame) as ComputeCall;
      id = typeof call?.id === 'number' ? call.id : -1;
      if (id < 0 || typeof call.request?.op !== 'string') throw new DarError('ARG_INVALID', 'compute: a frame without an id and an op');
      const t0 = performance.now();
      const value = await this.run(call.request);
      this.send({ kind: 'answer', id, ok: true, value, ms: performance.now() - t0 });
    } catch (err) {
      this.send({ kind: 'answer', id, ok: false, error: toErrorInfo(err) });
    }
  }

  private model(id: number): SentimentModel {
    const m = this.models.get(id);
    if (!m) throw new DarError('INTERNAL', `compute: no model ${id}`);
    return m;
  }

  private trainer(id: number): ModelTrainer {
    const t = this.trainers.get(id);
    if (!t) throw new DarError('INTERNAL', `compute: no trainer ${id}`);
    return t;
  }

  private async run(r: ComputeRequest): Promise<unknown> {
    switch (r.op) {
      case 'create': {
        const model = this.create(r.kind, r.config, r.seed);
        this.models.get(r.model)?.dispose();
        this.models.set(r.model, model);
        return null;
      }
      case 'exportWeights':
        return this.model(r.model).params.exportWeights();
      case 'importWeights':
        return void this.model(r.model).params.importWeights(r.weights);
      case 'predict':
        return this.model(r.model).predict(r.batch);
      case 'score':
        return this.model(r.model).score(r.batch, r.ablations);
      case 'trainer':
        this.trainers.get(r.trainer)?.dispose();
        this.trainers.set(r.trainer, this.model(r.model).trainer(r.train, r.trainSize));
        return null;
      case 'step':
        return this.trainer(r.trainer).step(r.input);
      case 'endEpoch':
        return void (await this.trainer(r.trainer).endEpoch?.(r.epoch));
      case 'exportState':
        return this.trainer(r.trainer).exportState();
      case 'importState':
        return void this.trainer(r.trainer).importState(r.state);
      case 'explain':
        return this.explain(r.model, r.key, r.clip, r.masks);
      case 'dispose':
        return void this.dispose(r.model, r.trainer);
    }
  }

  /** DAR's explain, through one ExplainCache per model; the same key reuses the clip's split (and so its explainer). */
  private explain(id: number, key: string, clip: SplitData, masks: PerModality<Uint8Array>): Promise<ClipExplanation> {
    const model = this.model(id);
    if (!(model instanceof DarModel)) throw new DarError('MODEL_UNSUPPORTED', `compute: explain is DAR's; model ${id} is ${model.kind}`);
    let e = this.explainers.get(id);
    if (!e) this.explainers.set(id, (e = { cache: new ExplainCache(), key, clip }));
    if (e.key !== key) Object.assign(e, { key, clip });
    return e.cache.explain(model, e.clip, 0, masks);
  }

  private dispose(model?: number, trainer?: number): void {
    if (model !== undefined) this.explainers.get(model)?.cache.dispose();
    if (model !== undefined) this.explainers.delete(model);
    if (trainer !== undefined) this.trainers.get(trainer)?.dispose();
    if (trainer !== undefined) this.trainers.delete(trainer);
    if (model !== undefined) this.models.get(model)?.dispose();
    if (model !== undefined) this.models.delete(model);
  }
}
