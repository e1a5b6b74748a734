/**
 * The workbench's methods as the worker serves them (contract/api.ts StudioMethods): the
 * overview of the open dataset and checkpoint, the library, one clip's detail, explain and
 * random masks. What is open lives in {@link WorkbenchState}; this service answers from it.
 */
import { basename } from 'node:path';
import type { AppInfo, CheckpointOverview, ClipDetail, ClipPage, DatasetOverview, ModalityMask } from '#contract/api';
import type { Dataset, PerModality, SplitData } from '#contract/dataset';
import type { MediaFile } from '#contract/worker-protocol';
import type { WorkbenchExplanation } from '#contract/explain';
import { applyNormaliser, fitNormaliser } from '../../engine/data/normaliser';
import { DarError } from '../../engine/errors';
import { ExplainCache, explainPredictions } from '../../engine/infer/explain';
import { DarModel } from '../../engine/model/dar-model';
import { mimeType } from '../../engine/media/mime';
import { clipDuration, clipFrames, clipTokens } from './clip-detail';
import { sliceSplit } from './split-slice';
import { clipQuery, clipRef, object, openParams, rateAndSeed, workbenchMasks } from '../params';
import { randomWorkbenchMask, workbenchFrameMasks } from './workbench-masks';
import type { OpenState, WorkbenchState } from './workbench-state';

const EXPLAIN_INPUT_CACHE = 8;
/** The workbench, one per worker; every method may throw a DarError. */
export class WorkbenchService {
  /** Per-clip explainers: a mask edit recomputes only what it changed (another model's are dropped on use). */
  private readonly explainers = new ExplainCache();

  constructor(private readonly open: WorkbenchState) {}

  /** The shell, its version and the backend in use. */
  async getAppInfo(): Promise<AppInfo> {
    const { shell } = this.open.deps;
    return { name: 'DAR Studio', version: shell.version, shell: shell.shell, backend: await this.open.deps.ready() };
  }

  /** Opens a dataset and optionally a checkpoint (see StudioMethods.openDataset); one at a time. */
  async openDataset(params: unknown): Promise<DatasetOverview> {
    return this.overview(await this.open.open(openParams(params)));
  }

  private overview(s: OpenState): DatasetOverview {
    const { info, splits } = s.dataset;
    const c = s.checkpoint;
    const checkpoint: CheckpointOverview | null = c && {
      path: c.path,
      name: basename(c.path),
      trainedOn: c.meta.dataset.name,
      synthetic: c.meta.dataset.synthetic,
      model: c.meta.model,
      // DAR's width and unified length; 0 for a model whose config has no such field
      d: typeof c.meta.config.d === 'number' ? c.meta.config.d : 0,
      t: typeof c.meta.config.t === 'number' ? c.meta.config.t : 0,
      selectedEpoch: c.meta.selectedEpoch,
    };
    return {
      name: info.name,
      path: info.path,
      format: info.format,
      synthetic: info.synthetic,
      description: info.description,
      warnings: info.warnings,
      counts: { train: splits.train.n, valid: splits.valid.n, test: splits.test.n },
      dims: info.dims,
      seqLen: info.seqLen,
      checkpoint,
      ...(s.checkpointError ? { checkpointError: s.checkpointError } : {}),
    };
  }

  /** The open dataset and checkpoint. */
  async getOverview(): Promise<DatasetOverview> {
    return this.overview(await this.open.current());
  }

  /** A page of the library. */
  async listClips(params: unknown): Promise<ClipPage> {
    const q = clipQuery(params);
    const s = await this.open.current();
    const p = s.predictions;
    return { ...s.library.query(q, p?.values ?? null, p?.version ?? 0), predicting: p?.running ?? false };
  }

  private async clip(params: unknown): Promise<{ s: OpenState; split: SplitData; ref: { split: keyof Dataset['splits']; index: number } }> {
    const s = await this.open.current();
    const ref = clipRef(params, (name) => s.dataset.splits[name].n);
    return { s, split: s.dataset.splits[ref.split], ref };
  }

  /** Everything the workbench draws of one clip, apart from the model's features. */
  async getClip(params: unknown): Promise<ClipDetail> {
    this.open.touch();
    const { s, split, ref } = await this.clip(params);
    const i = ref.index;
    const duration = clipDuration(split, i);
    const normaliser = s.checkpoint?.meta.normaliser ?? (s.ownNormaliser ??= fitNormaliser(s.dataset.splits.train));
    const p = s.predictions?.values[ref.split][i];
    return {
      ...ref,
      id: split.ids[i],
      text: split.rawText[i] ?? '',
      label: split.labels[i],
      prediction: p === undefined || Number.isNaN(p) ? null : p,
      hasVideo: !!split.videos?.[i],
      duration,
      videoUrl: split.videos?.[i] ? this.open.deps.shell.mediaUrl.replace('{split}', ref.split).replace('{index}', String(i)) : null,
      tokens: clipTokens(split.rawText[i] ?? '', split.lengths.l[i]),
      frames: clipFrames(split, i, duration, normaliser),
    };
  }

  /** Masked vs complete prediction of one clip, with every intermediate feature. */
  async explain(params: unknown): Promise<WorkbenchExplanation> {
    this.open.touch();
    const { s, split, ref } = await this.clip(params);
    const masks = workbenchMasks(object(params).masks);
    if (!s.checkpoint) throw new DarError('NO_CHECKPOINT', 'explain needs a model: no checkpoint is open for this dataset');
    // An open that replaced the state is seen here; one that comes later waits for this explain's
    // reads before freeing the model (the leases).
    if (s !== this.open.now) throw new DarError('ARG_INVALID', 'another dataset was opened meanwhile; explain the clip again');
    const frameMasks = workbenchFrameMasks(split, ref.index, masks, clipDuration(split, ref.index));
    const { model } = s.checkpoint;
    const input = this.explainInput(s, ref.split, ref.index);
    // Only DAR has decoupled features to show; another model answers with its two predictions.
    if (!(model instanceof DarModel)) return this.open.leases.use(model, () => explainPredictions(model, input, 0, frameMasks));
    return this.open.leases.use(model, () => this.explainers.explain(model, input, 0, frameMasks));
  }

  private explainInput(s: OpenState, splitName: keyof Dataset['splits'], i: number): SplitData {
    const key = `${splitName}/${i}`;
    let input = s.explainInputs.get(key);
    if (!input) {
      input = applyNormaliser(sliceSplit(s.dataset.splits[splitName], i, i + 1), s.checkpoint!.meta.normaliser);
      s.explainInputs.set(key, input);
      if (s.explainInputs.size > EXPLAIN_INPUT_CACHE) s.explainInputs.delete(s.explainInputs.keys().next().value!);
    }
    return input;
  }

  /** The corruption operator's random mask of one clip at rate r, as segments. */
  async randomMask(params: unknown): Promise<PerModality<ModalityMask>> {
    const { split, ref } = await this.clip(params);
    const { rate, seed } = rateAndSeed(params);
    return randomWorkbenchMask(split, ref.split, ref.index, rate, seed, clipDuration(split, ref.index));
  }

  /** The video file of a clip of the open dataset, for the shells' media routes. */
  async mediaFile(params: unknown): Promise<MediaFile | null> {
    const { split, ref } = await this.clip(params);
    const path = split.videos?.[ref.index];
    if (!path) return null;
    return { path, contentType: mimeType(path) };
  }

  /** Frees the explainers (worker shutdown, tests); the state is disposed by its owner. */
  dispose(): void {
    this.explainers.dispose();
  }
}
