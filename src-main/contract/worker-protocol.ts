/**
 * The engine's message protocol: what the app, the browser host and the CLI ask the engine
 * worker, and what it reports while it works. Big numeric results are typed arrays (they cross
 * the thread boundary by structured clone, never as JSON number arrays).
 */
import type { ClipRef, StudioMethods } from './api';
import type { SplitName } from './dataset';
import type { ErrorInfo, Result } from './errors';
import type { RobustnessReport } from './eval';
import type { ClipPlayback } from './media';
import type { ExtractJob } from './extract';
import type { ExperimentJob, TrainingRunState } from './training-methods';
import type { DarConfig, ModelKind, TrainConfig } from './model';
import type { TrainProgress, TrainSummary } from './train';

/** The rungs of the backend ladder, best first. */
export type BackendName = 'webgpu' | 'gpu' | 'native' | 'wasm' | 'cpu';

/** The GPU adapter a WebGPU rung runs on, as the adapter names itself (fields may be empty). */
export interface GpuAdapterInfo {
  vendor: string;
  architecture: string;
  /** Driver's own words, e.g. "OpenGL ES 3.2 Mesa 22.3.6" or the GPU's name. */
  description: string;
  /** A CPU rasteriser (SwiftShader, llvmpipe, a fallback adapter): the ladder never picks one itself. */
  software: boolean;
}

/** What was chosen and why the better rungs were not; for logs, the CLI and the studio. */
export interface BackendInfo {
  name: BackendName;
  /** The tfjs backend name that is now active ('webgpu', 'tensorflow', 'wasm' or 'cpu'). */
  tfBackend: string;
  /** WebGPU only: the adapter it runs on. */
  adapter?: GpuAdapterInfo;
  /** Human-readable, e.g. "WebAssembly (SIMD, 1 thread)". */
  label: string;
  /** WASM only: whether the SIMD binary runs. */
  simd?: boolean;
  /** WASM only: XNNPACK thread count. */
  threads?: number;
  /** Rungs above the chosen one that could not be used, with the reason. */
  skipped: { name: BackendName; reason: string }[];
  /** Desktop: the compute window's rung (its label), or why it stopped. */
  compute?: string;
  /** Desktop: where single-clip explains go, as measured at the first one (e.g. "WebAssembly (engine thread): 12 ms; WebGPU (...): 40 ms"). */
  explainRung?: string;
}

/** Named training presets (engine/train/config.ts). */
export type PresetName = 'mosi' | 'mosei' | 'demo';

/** Parameters of a training run. */
export interface TrainParams {
  data: string;
  out: string;
  preset?: PresetName;
  /** Which model to train [dar]. */
  modelKind?: ModelKind;
  /** Hyperparameters on top of the model's defaults (DAR's are DarConfig's), checked by its registry entry. */
  model?: Partial<Omit<DarConfig, 'inputDims' | 'seqLen'>> | Record<string, unknown>;
  train?: Partial<TrainConfig>;
  /** Continue from the checkpoint's resume sidecar when it matches [true]. */
  resume?: boolean;
}

/** Parameters of a robustness sweep. */
export interface EvalParams {
  /** One or more checkpoints (e.g. three training seeds); their scores are averaged. */
  checkpoints: string[];
  data: string;
  split?: SplitName;
  /** Evaluation mask seeds [1111]. */
  seeds?: number[];
}

/** Predictions of one checkpoint on one split, complete input. */
export interface PredictionTable {
  split: SplitName;
  ids: string[];
  labels: Float32Array;
  predictions: Float32Array;
}

/** Every request: method -> [params, result]. */
export interface EngineMethods {
  init: [{ backend?: BackendName }, BackendInfo];
  train: [TrainParams, TrainSummary];
  stopTraining: [Record<string, never>, { stopping: boolean }];
  evaluate: [EvalParams, RobustnessReport];
  predict: [{ checkpoint: string; data: string; split?: SplitName }, PredictionTable];
  /** For the shells' media routes only (never exposed to a page): the video file of a clip of the open dataset. */
  mediaFile: [ClipRef, MediaFile | null];
}

/** A clip's video as the worker knows it; the shells stream it, the page only ever sees a media URL. */
export interface MediaFile {
  path: string;
  /** MIME type from the file's extension, e.g. video/mp4. */
  contentType: string;
}

/** Everything the worker serves: the engine's methods and the studio's (WorkbenchService). */
export type WorkerMethods = EngineMethods & StudioMethods;

/** A method name the worker routes. */
export type WorkerMethod = keyof WorkerMethods;

/**
 * What the shell tells the worker at start (worker_threads `workerData`). `mediaUrl` is the
 * template of ClipDetail.videoUrl with `{split}` and `{index}` placeholders, e.g.
 * `/media/{split}/{index}?token=...` (browser host) or `dar-media://clip/{split}/{index}` (Electron).
 */
export interface EngineWorkerData {
  shell: 'electron' | 'browser';
  version: string;
  mediaUrl: string;
  /** The demo corpus folder (holding model.safetensors when trained) [resources/demo of the checkout]. */
  demoDir?: string;
  /** The studio home (runs, jobs) when DAR_STUDIO_HOME is unset, e.g. Electron's userData [~/.dar-studio]. */
  studioHome?: string;
}

/** A method name of the engine. */
export type EngineMethod = keyof EngineMethods;

/** What the engine reports while it works. */
export type EngineEvent =
  | { type: 'train-progress'; progress: TrainProgress }
  /** A robustness sweep's conditions done of total; `checkpoint` = its first checkpoint (whose sweep this is). */
  | { type: 'eval-progress'; done: number; total: number; checkpoint?: string }
  /** Complete-input predictions of the open dataset: clips done of total (the library refreshes at done = total). */
  | { type: 'predict-progress'; done: number; total: number }
  /** A training run started, is stopping or ended (trainingStatus has the details). */
  | { type: 'train-state'; checkpoint: string; state: TrainingRunState; jobId: string | null; error?: ErrorInfo }
  /** An experiment job changed state (queued, training, evaluating, done, failed, cancelled). */
  | { type: 'job-progress'; job: ExperimentJob }
  /** A clip's background transcode for playback moved (clipMedia has the full state, incl. the new videoUrl when done). */
  | { type: 'media-progress'; clip: ClipRef; playback: ClipPlayback; fraction: number; error?: ErrorInfo }
  /** The studio's video import moved (a stage, a clip, or its end). */
  | { type: 'extract-progress'; job: ExtractJob }
  | { type: 'log'; level: 'info' | 'warn'; message: string };

/**
 * Messages to the worker. A request with `frame` is answered with the wire frame the page gets
 * (`{ id: frame.id, result }`, encoded on the engine thread with page connection frame.conn's
 * memo); `forget` drops what is kept for a connection that closed.
 */
export type ToEngine =
  | { kind: 'request'; id: number; method: WorkerMethod; params: unknown; frame?: { conn: number; id: number } }
  | { kind: 'forget'; conn: number };

/** Messages from the worker; a request with `frame` may get a `preview` frame (`{ id, preview }`) before its answer frame. */
export type FromEngine =
  | { kind: 'response'; id: number; result: Result<unknown> }
  | { kind: 'frame'; id: number; frame: Uint8Array }
  | { kind: 'preview'; id: number; frame: Uint8Array }
  | { kind: 'event'; event: EngineEvent }
  | { kind: 'fatal'; error: ErrorInfo };
