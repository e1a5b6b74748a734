/**
 * The studio's methods as the worker serves them (contract/api.ts StudioMethods): the open
 * dataset and checkpoint live here, beside the engine, and the shells only route calls to it.
 * The model stays loaded while its checkpoint is open; complete-input predictions for the whole
 * dataset fill in in the background.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppInfo, CheckpointOverview, ClipDetail, ClipPage, DatasetOverview, ModalityMask, StudioMethods } from '../contract/api';
import type { Dataset, PerModality, SplitData } from '../contract/dataset';
import type { BackendInfo, EngineEvent, EngineWorkerData, MediaFile } from '../contract/engine';
import type { ErrorInfo } from '../contract/errors';
import type { ClipExplanation } from '../contract/explain';
import { checkDatasetMatches, loadModel } from '../engine/checkpoint/model-checkpoint';
import type { CheckpointMeta } from '../engine/checkpoint/model-checkpoint';
import { applyNormaliser, fitNormaliser } from '../engine/data/normaliser';
import type { Normaliser } from '../engine/data/normaliser';
import { DarError, toErrorInfo } from '../engine/errors';
import { ExplainCache } from '../engine/infer/explain';
import type { DarModel } from '../engine/model/dar-model';
import { BackgroundPredictions } from './background-predictions';
import { clipDuration, clipFrames, clipTokens } from './clip-detail';
import { ClipLibrary } from './clip-library';
import { sliceSplit } from './split-slice';
import { clipQuery, clipRef, object, openParams, rateAndSeed, workbenchMasks } from './studio-params';
import { randomWorkbenchMask, workbenchFrameMasks } from './studio-masks';

/** The demo model's file name inside the demo corpus folder. */
export const DEMO_MODEL = 'model.safetensors';
const EXPLAIN_INPUT_CACHE = 8;
/** The background predictions pause until the workbench has been quiet this long. */
const INTERACTIVE_QUIET_MS = 150;
const VIDEO_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mkv': 'video/x-matroska',
  '.mov': 'video/quicktime',
  '.avi': 'video/x-msvideo',
};

/** What the service needs from the worker around it. */
export interface StudioDeps {
  emit(event: EngineEvent): void;
  /** The chosen compute backend (initialised on first use). */
  ready(): Promise<BackendInfo>;
  /** Opens a dataset (the engine's cache, shared with training). */
  dataset(path: string): Promise<Dataset>;
  shell: EngineWorkerData;
}

interface OpenCheckpoint {
  path: string;
  mtimeMs: number;
  model: DarModel;
  meta: CheckpointMeta;
}

interface OpenState {
  dataset: Dataset;
  library: ClipLibrary;
  checkpoint: OpenCheckpoint | null;
  checkpointError?: ErrorInfo;
  predictions: BackgroundPredictions | null;
  /** Fitted on the train split when no checkpoint brings one (for the tracks' intensities). */
  ownNormaliser?: Normaliser;
  /** Normalised one-clip splits of recent explains (a mask edit re-explains the same clip). */
  explainInputs: Map<string, SplitData>;
}

/** The studio, one per worker; every method may throw a DarError. */
export class StudioService {
  private state: OpenState | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private lazyOpen: Promise<void> | null = null;
  private lastInteractive = -Infinity;
  /** Per-clip explainers: a mask edit recomputes only what it changed (another model's are dropped on use). */
  private readonly explainers = new ExplainCache();

  constructor(private readonly deps: StudioDeps) {}

  private get demoDir(): string {
    return this.deps.shell.demoDir ?? fileURLToPath(new URL('../../resources/demo', import.meta.url));
  }

  /** The shell, its version and the backend in use. */
  async getAppInfo(): Promise<AppInfo> {
    return { name: 'DAR Studio', version: this.deps.shell.version, shell: this.deps.shell.shell, backend: await this.deps.ready() };
  }

  /** Opens a dataset and optionally a checkpoint (see StudioMethods.openDataset); one at a time. */
  openDataset(params: unknown): Promise<DatasetOverview> {
    const p = openParams(params);
    const run = this.queue.then(() => this.open(p));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async open(p: StudioMethods['openDataset'][0]): Promise<DatasetOverview> {
    const path = resolve(p.path ?? this.demoDir);
    const demoModel = join(this.demoDir, DEMO_MODEL);
    const checkpointPath = p.checkpoint !== undefined ? resolve(p.checkpoint) : p.path === undefined && existsSync(demoModel) ? demoModel : undefined;
    if (checkpointPath) await stat(checkpointPath).catch(() => Promise.reject(new DarError('FILE_NOT_FOUND', `checkpoint: no such file ${checkpointPath}`)));
    const dataset = await this.deps.dataset(path);
    let checkpoint: OpenCheckpoint | null = null;
    let checkpointError: ErrorInfo | undefined;
    if (checkpointPath) {
      try {
        checkpoint = await this.loadCheckpoint(checkpointPath, dataset);
      } catch (err) {
        const info = toErrorInfo(err);
        checkpointError = info.code === 'CHECKPOINT_MISMATCH' ? info : { code: 'CHECKPOINT_MALFORMED', message: `${checkpointPath}: ${info.message}` };
      }
    }
    this.replaceState(dataset, checkpoint, checkpointError);
    if (checkpointError) throw new DarError(checkpointError.code, `${checkpointError.message} (the dataset is open without a model)`);
    return this.overview(this.state!);
  }

  private async loadCheckpoint(path: string, dataset: Dataset): Promise<OpenCheckpoint> {
    const { mtimeMs } = await stat(path);
    const current = this.state?.checkpoint;
    if (current && current.path === path && current.mtimeMs === mtimeMs) {
      checkDatasetMatches(current.meta, dataset);
      return current;
    }
    await this.deps.ready();
    const { model, meta } = await loadModel(path);
    try {
      checkDatasetMatches(meta, dataset);
    } catch (err) {
      model.dispose();
      throw err;
    }
    return { path, mtimeMs, model, meta };
  }

  private replaceState(dataset: Dataset, checkpoint: OpenCheckpoint | null, checkpointError: ErrorInfo | undefined): void {
    const old = this.state;
    old?.predictions?.cancel();
    // Background chunks are synchronous and check `cancel` after every await: disposing now is safe.
    if (old?.checkpoint && old.checkpoint !== checkpoint) old.checkpoint.model.dispose();
    const idle = (): boolean => performance.now() - this.lastInteractive > INTERACTIVE_QUIET_MS;
    const predictions = checkpoint ? new BackgroundPredictions(dataset, checkpoint.model, checkpoint.meta.normaliser, this.deps.emit, idle) : null;
    this.state = { dataset, library: new ClipLibrary(dataset), checkpoint, checkpointError, predictions, explainInputs: new Map() };
    if (predictions) void predictions.run();
  }

  /** The open state; until a dataset was opened, the demo is opened on first use. */
  private async current(): Promise<OpenState> {
    await this.queue;
    if (!this.state) {
      this.lazyOpen ??= this.openDataset({}).then(
        () => undefined,
        (err: unknown) => {
          this.lazyOpen = null;
          if (!this.state) throw err;
        },
      );
      await this.lazyOpen;
    }
    return this.state!;
  }

  private overview(s: OpenState): DatasetOverview {
    const { info, splits } = s.dataset;
    const c = s.checkpoint;
    const checkpoint: CheckpointOverview | null = c && {
      path: c.path,
      name: basename(c.path),
      trainedOn: c.meta.dataset.name,
      synthetic: c.meta.dataset.synthetic,
      d: c.meta.config.d,
      t: c.meta.config.t,
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
    return this.overview(await this.current());
  }

  /** A page of the library. */
  async listClips(params: unknown): Promise<ClipPage> {
    const q = clipQuery(params);
    const s = await this.current();
    const p = s.predictions;
    return { ...s.library.query(q, p?.values ?? null, p?.version ?? 0), predicting: p?.running ?? false };
  }

  private async clip(params: unknown): Promise<{ s: OpenState; split: SplitData; ref: { split: keyof Dataset['splits']; index: number } }> {
    const s = await this.current();
    const ref = clipRef(params, (name) => s.dataset.splits[name].n);
    return { s, split: s.dataset.splits[ref.split], ref };
  }

  /** Everything the workbench draws of one clip, apart from the model's features. */
  async getClip(params: unknown): Promise<ClipDetail> {
    this.lastInteractive = performance.now();
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
      videoUrl: split.videos?.[i] ? this.deps.shell.mediaUrl.replace('{split}', ref.split).replace('{index}', String(i)) : null,
      tokens: clipTokens(split.rawText[i] ?? '', split.lengths.l[i]),
      frames: clipFrames(split, i, duration, normaliser),
    };
  }

  /** Masked vs complete prediction of one clip, with every intermediate feature. */
  async explain(params: unknown): Promise<ClipExplanation> {
    this.lastInteractive = performance.now();
    const { s, split, ref } = await this.clip(params);
    const masks = workbenchMasks(object(params).masks);
    if (!s.checkpoint) throw new DarError('NO_CHECKPOINT', 'explain needs a model: no checkpoint is open for this dataset');
    // From here on everything is synchronous: an open that replaced the state (and disposed its model) is seen now or never.
    if (s !== this.state) throw new DarError('ARG_INVALID', 'another dataset was opened meanwhile; explain the clip again');
    const frameMasks = workbenchFrameMasks(split, ref.index, masks, clipDuration(split, ref.index));
    return this.explainers.explain(s.checkpoint.model, this.explainInput(s, ref.split, ref.index), 0, frameMasks);
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
    return { path, contentType: VIDEO_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream' };
  }

  /** The open dataset and model, for the studio's other services (training, feature space); opens the demo on first use. */
  async workbench(): Promise<{ dataset: Dataset; checkpoint: { path: string; model: DarModel; meta: CheckpointMeta } | null }> {
    const s = await this.current();
    return { dataset: s.dataset, checkpoint: s.checkpoint };
  }

  /**
   * The same, synchronously (null before the first open): code that uses the open model must
   * take it and finish with it in one synchronous stretch, as explain does, because an open
   * that replaces the state disposes the old model.
   */
  workbenchNow(): { dataset: Dataset; checkpoint: { path: string; model: DarModel; meta: CheckpointMeta } | null } | null {
    return this.state && { dataset: this.state.dataset, checkpoint: this.state.checkpoint };
  }

  /** Where the demo model is (or would be) kept. */
  demoModelPath(): string {
    return join(this.demoDir, DEMO_MODEL);
  }

  /** Stops background work and frees the model (worker shutdown, tests). */
  dispose(): void {
    this.explainers.dispose();
    this.state?.predictions?.cancel();
    this.state?.checkpoint?.model.dispose();
    this.state = null;
  }
}
