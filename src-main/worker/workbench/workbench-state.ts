/**
 * The open dataset and checkpoint of the worker: one at a time, replaced by an open, the demo
 * corpus opened on first use. The workbench service answers the page from it; the other
 * services (training, checkpoints, feature space, annotations) get only its read side,
 * {@link WorkbenchView}, passed in.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StudioMethods } from '#contract/api';
import type { Dataset, SplitData } from '#contract/dataset';
import type { BackendInfo, EngineEvent, EngineWorkerData } from '#contract/worker-protocol';
import type { ErrorInfo } from '#contract/errors';
import { checkDatasetMatches, loadModelFor } from '../../engine/checkpoint/model-checkpoint';
import type { CheckpointMeta } from '../../engine/checkpoint/model-checkpoint';
import type { Normaliser } from '../../engine/data/normaliser';
import { DarError, toErrorInfo } from '../../engine/errors';
import type { SentimentModel } from '../../engine/model/sentiment-model';
import { BackgroundPredictions } from './background-predictions';
import { ModelLeases } from './model-leases';
import { ClipLibrary } from './clip-library';

/** The demo model's file name inside the demo corpus folder. */
export const DEMO_MODEL = 'model.safetensors';
/** The background predictions pause until the workbench has been quiet this long. */
const INTERACTIVE_QUIET_MS = 150;

/** A loaded checkpoint. */
export interface OpenModel {
  path: string;
  model: SentimentModel;
  meta: CheckpointMeta;
}

/** The open dataset and model as other services see them. */
export interface OpenWorkbench {
  dataset: Dataset;
  checkpoint: OpenModel | null;
}

/** What services outside the workbench read of it; they get this, never the workbench itself. */
export interface WorkbenchView {
  /** The open dataset and model; opens the demo corpus on first use. */
  open(): Promise<OpenWorkbench>;
  /**
   * The same, synchronously (null before the first open). Work that awaits while it uses the
   * open model runs inside lease(), because an open that replaces the state frees the old model.
   */
  now(): OpenWorkbench | null;
  /** Runs f with `model` kept alive (ARG_INVALID if it was replaced already). */
  lease<T>(model: SentimentModel, f: () => Promise<T>): Promise<T>;
}

/** What the state needs from the worker around it. */
export interface WorkbenchDeps {
  emit(event: EngineEvent): void;
  /** The chosen compute backend (initialised on first use). */
  ready(): Promise<BackendInfo>;
  /** Opens a dataset (the engine's cache, shared with training). */
  dataset(path: string): Promise<Dataset>;
  shell: EngineWorkerData;
}

/** Everything open at once; replaced as a whole by the next open. */
export interface OpenState {
  dataset: Dataset;
  library: ClipLibrary;
  checkpoint: (OpenModel & { mtimeMs: number }) | null;
  checkpointError?: ErrorInfo;
  predictions: BackgroundPredictions | null;
  /** Fitted on the train split when no checkpoint brings one (for the tracks' intensities). */
  ownNormaliser?: Normaliser;
  /** Normalised one-clip splits of recent explains (a mask edit re-explains the same clip). */
  explainInputs: Map<string, SplitData>;
}

/** The worker's one open dataset and model. */
export class WorkbenchState {
  private state: OpenState | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private lazyOpen: Promise<void> | null = null;
  private lastInteractive = -Infinity;
  /** Explains and background chunks hold the model they use; a replaced model is freed after them. */
  readonly leases = new ModelLeases();

  constructor(readonly deps: WorkbenchDeps) {}

  /** The demo corpus folder: the shell's, else resources/demo of the sources this runs from (CLI, browser host). */
  get demoDir(): string {
    return this.deps.shell.demoDir ?? fileURLToPath(new URL('../../../resources/demo', import.meta.url));
  }

  /** Where the demo model is (or would be) kept. */
  get demoModelPath(): string {
    return join(this.demoDir, DEMO_MODEL);
  }

  /** Opens a dataset and optionally a checkpoint; opens run one at a time, in call order. */
  open(p: StudioMethods['openDataset'][0]): Promise<OpenState> {
    const run = this.queue.then(() => this.replace(p));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Marks the workbench busy: the background predictions wait until it has been quiet a while. */
  touch(): void {
    this.lastInteractive = performance.now();
  }

  /** The open state; until a dataset was opened, the demo is opened on first use. */
  async current(): Promise<OpenState> {
    await this.queue;
    if (!this.state) {
      this.lazyOpen ??= this.open({}).then(
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

  /** The open state as it is now (null before the first open). */
  get now(): OpenState | null {
    return this.state;
  }

  /** The read side other services get. */
  view(): WorkbenchView {
    const pick = (s: OpenState): OpenWorkbench => ({ dataset: s.dataset, checkpoint: s.checkpoint });
    return {
      open: async () => pick(await this.current()),
      now: () => this.state && pick(this.state),
      lease: (model, f) => this.leases.use(model, f),
    };
  }

  private async replace(p: StudioMethods['openDataset'][0]): Promise<OpenState> {
    const path = resolve(p.path ?? this.demoDir);
    const demoModel = this.demoModelPath;
    const checkpointPath = p.checkpoint !== undefined ? resolve(p.checkpoint) : p.path === undefined && existsSync(demoModel) ? demoModel : undefined;
    if (checkpointPath) await stat(checkpointPath).catch(() => Promise.reject(new DarError('FILE_NOT_FOUND', `checkpoint: no such file ${checkpointPath}`)));
    const dataset = await this.deps.dataset(path);
    let checkpoint: OpenState['checkpoint'] = null;
    let checkpointError: ErrorInfo | undefined;
    if (checkpointPath) {
      try {
        checkpoint = await this.loadCheckpoint(checkpointPath, dataset);
      } catch (err) {
        const info = toErrorInfo(err);
        checkpointError = info.code === 'CHECKPOINT_MISMATCH' ? info : { code: 'CHECKPOINT_MALFORMED', message: `${checkpointPath}: ${info.message}` };
      }
    }
    this.install(dataset, checkpoint, checkpointError);
    if (checkpointError) throw new DarError(checkpointError.code, `${checkpointError.message} (the dataset is open without a model)`);
    return this.state!;
  }

  private async loadCheckpoint(path: string, dataset: Dataset): Promise<NonNullable<OpenState['checkpoint']>> {
    const { mtimeMs } = await stat(path);
    const current = this.state?.checkpoint;
    if (current && current.path === path && current.mtimeMs === mtimeMs) {
      checkDatasetMatches(current.meta, dataset);
      return current;
    }
    await this.deps.ready();
    const { model, meta } = await loadModelFor(path, dataset);
    return { path, mtimeMs, model, meta };
  }

  private install(dataset: Dataset, checkpoint: OpenState['checkpoint'], checkpointError: ErrorInfo | undefined): void {
    const old = this.state;
    old?.predictions?.cancel();
    // A chunk or an explain in flight still reads the old model: the leases free it after them.
    if (old?.checkpoint && old.checkpoint !== checkpoint) this.leases.retire(old.checkpoint.model);
    const idle = (): boolean => performance.now() - this.lastInteractive > INTERACTIVE_QUIET_MS;
    const predictions = checkpoint ? new BackgroundPredictions(dataset, checkpoint.model, checkpoint.meta.normaliser, this.deps.emit, idle, this.leases) : null;
    this.state = { dataset, library: new ClipLibrary(dataset), checkpoint, checkpointError, predictions, explainInputs: new Map() };
    if (predictions) void predictions.run();
  }

  /** Stops background work and frees the model (worker shutdown, tests). */
  dispose(): void {
    this.state?.predictions?.cancel();
    if (this.state?.checkpoint) this.leases.retire(this.state.checkpoint.model);
    this.state = null;
  }
}
