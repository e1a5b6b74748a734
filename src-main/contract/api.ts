/**
 * The API the studio calls, identical in every shell (Electron preload + IPC, browser host over
 * HTTP + WebSocket). One table of methods -> [params, result]; wrappers are derived from it and
 * every result is a Result so errors cross as data.
 */
import type { StudioAnnotationMethods } from './annotations';
import type { PerModality, SplitName } from './dataset';
import type { BackendInfo, EngineEvent } from './worker-protocol';
import type { ErrorInfo, Result } from './errors';
import type { WorkbenchExplanation } from './explain';
import type { ModelKind } from './model';
import type { StudioTrainingMethods } from './training-methods';
import type { StudioMediaMethods } from './media';
import type { StudioExtractMethods } from './extract';

/** What the shell reports about itself. */
export interface AppInfo {
  name: string;
  version: string;
  /** Which shell serves the contract. */
  shell: 'electron' | 'browser';
  backend: BackendInfo;
}

/** The open dataset as the studio sees it. */
export interface DatasetOverview {
  name: string;
  path: string;
  format: 'mmsa-pickle' | 'clip-folder';
  synthetic: boolean;
  description?: string;
  warnings: string[];
  counts: Record<SplitName, number>;
  dims: PerModality<number>;
  seqLen: PerModality<number>;
  /** The checkpoint predictions come from, if one is open and matches (null: the "no model" state). */
  checkpoint: CheckpointOverview | null;
  /** Why the requested checkpoint is not open (mismatch, unreadable), when one was asked for and failed. */
  checkpointError?: ErrorInfo;
}

/** The open checkpoint. */
export interface CheckpointOverview {
  path: string;
  name: string;
  trainedOn: string;
  synthetic: boolean;
  /** Which model the checkpoint holds. */
  model: ModelKind;
  d: number;
  t: number;
  /** 0-based epoch whose weights the checkpoint holds (show it 1-based, as the CLI does). */
  selectedEpoch: number;
}

/** A clip key: split and index within it. */
export interface ClipRef {
  split: SplitName;
  index: number;
}

/** One row of the library. */
export interface ClipRow extends ClipRef {
  id: string;
  text: string;
  label: number;
  /** Complete-input prediction of the open checkpoint (null while predicting or without one). */
  prediction: number | null;
  hasVideo: boolean;
  duration: number | null;
}

/** Library query: search by transcript and id, sort, page (MOSEI has 22k clips). */
export interface ClipQuery {
  split?: SplitName | 'all';
  search?: string;
  sort?: 'index' | 'label' | 'prediction' | 'error';
  descending?: boolean;
  offset: number;
  /** Rows per page, 0..1000 (0 = just the total). */
  limit: number;
}

/** A page of the library. */
export interface ClipPage {
  total: number;
  rows: ClipRow[];
  /** True while complete-input predictions for the whole dataset are still being computed. */
  predicting: boolean;
}

/** Everything the workbench draws for a clip, apart from the model's features. */
export interface ClipDetail extends ClipRow {
  /** Duration in seconds (known from timing or the video; else 1 s per 25 frames of audio). */
  duration: number;
  /** Media URL of the video (served only for files of the open dataset), or null. */
  videoUrl: string | null;
  /** Token strings of the transcript, aligned with the language frames (incl. [CLS]/[SEP]). */
  tokens: string[];
  /** Per modality: valid frame count, frame spans [start, end] * n in seconds, and a per-frame intensity in [0, 1] for the track. */
  frames: PerModality<{ count: number; spans: Float32Array; intensity: Float32Array }>;
}

/** A hand-made mask of one modality: time segments in seconds, or the whole modality. */
export interface ModalityMask {
  segments: { start: number; end: number }[];
  whole: boolean;
}

/**
 * The studio's methods: name -> [params, result]. Training, robustness, experiments and the
 * feature space are in jobs.ts (StudioTrainingMethods).
 */
export interface StudioMethods extends StudioTrainingMethods, StudioAnnotationMethods, StudioMediaMethods, StudioExtractMethods {
  getAppInfo: [Record<string, never>, AppInfo];
  /**
   * Opens a dataset (and optionally a checkpoint); no path = the demo corpus (resources/demo) and
   * its model when trained. A CHECKPOINT_MISMATCH / CHECKPOINT_MALFORMED error means the dataset
   * DID open, without a model (getOverview then shows it, with checkpointError); any other error
   * leaves the previous dataset open. Until the first call every method opens the demo itself.
   */
  openDataset: [{ path?: string; checkpoint?: string }, DatasetOverview];
  getOverview: [Record<string, never>, DatasetOverview];
  listClips: [ClipQuery, ClipPage];
  getClip: [ClipRef, ClipDetail];
  /**
   * Masked vs complete prediction with every intermediate feature (NO_CHECKPOINT without a model).
   * A frame is masked iff its span overlaps a segment (open overlap); a modality left out of
   * `masks` is not masked; `whole` masks every valid frame (text [CLS]/[SEP] stay kept).
   */
  explain: [ClipRef & { masks: PerModality<ModalityMask> }, WorkbenchExplanation];
  /** The paper's random corruption at rate r as segments (one per run of masked frames). */
  randomMask: [ClipRef & { rate: number; seed: number }, PerModality<ModalityMask>];
  /**
   * The same masks through a second model (any checkpoint that fits the open dataset), beside the
   * open one: its masked and complete predictions only. CHECKPOINT_MISMATCH when it does not fit.
   */
  explainSecond: [ClipRef & { masks: PerModality<ModalityMask>; checkpoint: string }, SecondExplanation];
}

/** explainSecond's answer: which model answered and its two predictions. */
export interface SecondExplanation {
  checkpoint: string;
  modelKind: ModelKind;
  masked: { yHat: number };
  complete: { yHat: number };
}

/** A studio method name. */
export type StudioMethod = keyof StudioMethods;

/** explain's preview: the two predictions, ahead of the features. */
export interface ExplainPreview {
  /** y_hat of the masked input. */
  masked: number;
  /** y_hat of the complete input. */
  complete: number;
}

/**
 * What a method may send ahead of its answer, so the page can show the part people look at
 * first (the browser host's socket sends it; a shell that does not simply answers).
 */
export interface StudioPreviews {
  explain: ExplainPreview;
}

/** Options of one call: `onPreview` receives the method's preview, if it has one and the shell sends it. */
export interface CallOptions<M extends StudioMethod> {
  onPreview?: (preview: M extends keyof StudioPreviews ? StudioPreviews[M] : never) => void;
}

/** The API object the renderer holds: one async function per method. */
export type StudioApi = {
  [M in StudioMethod]: (params: StudioMethods[M][0], options?: CallOptions<M>) => Promise<Result<StudioMethods[M][1]>>;
} & {
  /** Subscribes to engine events (training progress, ...); returns the unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void;
};

/** The IPC channel of each contract method (Electron shell). */
export type StudioChannel = `studio:${StudioMethod}`;

/** The IPC channel on which the Electron main process pushes engine events to the page. */
export type StudioEventChannel = 'studio:event';
