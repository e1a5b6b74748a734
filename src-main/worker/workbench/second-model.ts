/**
 * The workbench's second model: a checkpoint the analyst compares the open one with, mask edit
 * by mask edit. One at a time, loaded on first use and kept while the same file (and dataset)
 * is asked for; a replaced one is freed through the workbench's leases, so an explain still
 * reading it finishes first. It never touches the open model or its background predictions.
 */
import { stat } from 'node:fs/promises';
import type { Dataset, SplitData } from '#contract/dataset';
import { loadModelFor } from '../../engine/checkpoint/model-checkpoint';
import type { CheckpointMeta } from '../../engine/checkpoint/model-checkpoint';
import { applyNormaliser } from '../../engine/data/normaliser';
import { DarError } from '../../engine/errors';
import type { SentimentModel } from '../../engine/model/sentiment-model';
import type { ModelLeases } from './model-leases';
import { sliceSplit } from './split-slice';

/** A loaded second model and the dataset it was checked against. */
export interface HeldModel {
  path: string;
  mtimeMs: number;
  dataset: Dataset;
  model: SentimentModel;
  meta: CheckpointMeta;
}

/** Holds at most one second model; loads run one at a time, in call order. */
export class SecondModel {
  private held: HeldModel | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  /** Normalised one-clip inputs of the held model (its own normaliser), most recent last. */
  private inputs = new Map<string, SplitData>();

  constructor(
    private readonly leases: ModelLeases,
    private readonly ready: () => Promise<unknown>,
  ) {}

  /** The model at `path`, checked against `dataset` (CHECKPOINT_MISMATCH when it does not fit). */
  get(path: string, dataset: Dataset): Promise<HeldModel> {
    const next = this.chain.then(() => this.load(path, dataset));
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async load(path: string, dataset: Dataset): Promise<HeldModel> {
    const { mtimeMs } = await stat(path).catch(() => Promise.reject(new DarError('FILE_NOT_FOUND', `checkpoint: no such file ${path}`)));
    const h = this.held;
    if (h && h.path === path && h.mtimeMs === mtimeMs && h.dataset === dataset) return h;
    await this.ready();
    const { model, meta } = await loadModelFor(path, dataset);
    this.replace({ path, mtimeMs, dataset, model, meta });
    return this.held!;
  }

  /** One clip of the held model's dataset, normalised as that model was trained. */
  input(held: HeldModel, split: keyof Dataset['splits'], index: number): SplitData {
    const key = `${split}/${index}`;
    let input = this.inputs.get(key);
    if (!input || held !== this.held) {
      input = applyNormaliser(sliceSplit(held.dataset.splits[split], index, index + 1), held.meta.normaliser);
      if (held === this.held) this.inputs.set(key, input);
      if (this.inputs.size > 8) this.inputs.delete(this.inputs.keys().next().value!);
    }
    return input;
  }

  private replace(next: HeldModel | null): void {
    const old = this.held;
    this.held = next;
    this.inputs = new Map();
    // An explain in flight still reads the old model: the leases free it after that.
    if (old && old.model !== next?.model) this.leases.retire(old.model);
  }

  /** Frees the held model (worker shutdown, tests). */
  dispose(): void {
    this.replace(null);
  }
}
