/**
 * Feature extraction from the user's own videos (engine/extract): what a run is asked, what it
 * reports while it runs and when it ends, and which extractor made a clip folder's features.
 * Type-only.
 */
import type { ErrorInfo } from './errors';
import type { PerModality } from './dataset';

/** The acoustic presets: MMSA-FET's librosa configuration (70 columns) or CH-SIMS style (33). */
export type AcousticPreset = 'mmsa-librosa' | 'chsims';

/** Which extractor made a modality's features: a model trained on them refuses any other. */
export interface ExtractorStamp {
  id: string;
  version: string;
  /** What changes the numbers (preset, fps, model id ...); compared as well as id and version. */
  settings: Record<string, unknown>;
}

/** The extractor of each modality of an extracted clip folder. */
export type ExtractorStamps = PerModality<ExtractorStamp>;

/** What a run is asked to do. */
export interface ExtractParams {
  /** Folder of videos (any container ffmpeg reads), transcripts beside them. */
  videos: string;
  /** The clip folder to write (created when absent). */
  out: string;
  /** Face frames per second [10]. */
  fps?: number;
  acoustic?: AcousticPreset;
  /** A folder holding the BERT model (offline); else the user cache (downloaded on first use). */
  bertModel?: string;
  /** Keep clips already written (a rerun after a stop); false starts the folder over. */
  resume?: boolean;
}

/** The stages one clip goes through, in order. */
export type ExtractStage = 'probe' | 'audio' | 'acoustic' | 'visual' | 'language' | 'write';

/** Progress of a run: where it is, what it has done, and the estimated time left. */
export interface ExtractProgress {
  /** 0-based index of the clip being worked on, of `total`. */
  index: number;
  total: number;
  /** The source video's file name. */
  file: string;
  stage: ExtractStage;
  /** Fraction of the whole run, 0..1 (by source bytes). */
  fraction: number;
  /** Seconds left, estimated from the bytes done so far; null before the first clip ends. */
  etaSeconds: number | null;
  done: number;
  skipped: number;
  failed: number;
}

/** One video's outcome. */
export interface ExtractClipResult {
  file: string;
  /** "video_id$_$clip_id" in the clip folder. */
  id: string;
  status: 'written' | 'skipped' | 'failed';
  /** Why it failed (EXTRACT_NO_AUDIO, EXTRACT_SILENT, EXTRACT_NO_VIDEO, MEDIA_UNSUPPORTED ...). */
  error?: ErrorInfo;
  /** Things the user should know that did not fail the clip (no transcript, segment word times). */
  notes: string[];
  seconds: number;
}

/** What a run did. */
export interface ExtractReport {
  out: string;
  clips: ExtractClipResult[];
  written: number;
  skipped: number;
  failed: number;
  /** Stopped by a cancel before every clip was tried. */
  cancelled: boolean;
  /** Run-level things to know (e.g. fewer than 3 clips: a split stays empty). */
  warnings: string[];
  /** Wall seconds per stage, summed over clips, and media seconds processed (for rates). */
  timings: Record<ExtractStage, number> & { mediaSeconds: number; wall: number };
}

/** The studio's background import: one at a time, its state as the page shows it. */
export interface ExtractJob {
  state: 'running' | 'done' | 'failed' | 'cancelled';
  params: ExtractParams;
  /** The latest progress; null before the first clip starts. */
  progress: ExtractProgress | null;
  /** The BERT model's download, 0..1, while it downloads (first use only); else null. */
  modelDownload: number | null;
  /** The run's report once it ended (also for a cancel: what was written). */
  report: ExtractReport | null;
  /** Why the run as a whole failed (a bad folder, no extractor), else null. */
  error: ErrorInfo | null;
}

/** The studio's "Import videos" methods; progress arrives as `extract-progress` engine events. */
export interface StudioExtractMethods {
  /** Starts importing a folder of videos into a clip folder (ARG_INVALID while one runs). */
  startExtract: [ExtractParams, ExtractJob];
  /** The current or last import, or null when there was none. */
  extractStatus: [Record<string, never>, ExtractJob | null];
  /** Cancels the running import between stages (what is written stays; resume continues it). */
  cancelExtract: [Record<string, never>, ExtractJob | null];
}
