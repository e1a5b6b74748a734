/**
 * Domain types of a multimodal sentiment dataset, shared by the engine, the shells and the studio.
 * Type-only: nothing here runs.
 */
import type { ExtractorStamps } from './extract';

/** Modalities, always in the order l (language), a (acoustic), v (visual). */
export type Modality = 'l' | 'a' | 'v';

/** The three modalities in the model's order: language, acoustic, visual. */
export const MODALITIES: readonly Modality[] = Object.freeze(['l', 'a', 'v'] as const);

/** The three splits of every dataset. */
export type SplitName = 'train' | 'valid' | 'test';

/** Per-modality record. */
export type PerModality<T> = Record<Modality, T>;

/** A batch of sequences [n, t, d], row-major in one Float32Array (index = (i * t + j) * d + k). */
export interface SeqTensor {
  data: Float32Array;
  n: number;
  t: number;
  d: number;
}

/**
 * Where each valid frame of one clip's modality sits in time, in seconds:
 * `spans[2 * i]` is the start and `spans[2 * i + 1]` the end of frame i (i < valid length).
 */
export type FrameSpans = Float32Array;

/** Time information of one clip; absent spans mean "spread uniformly over the duration". */
export interface ClipTiming {
  /** Clip duration in seconds. */
  duration: number;
  spans: PerModality<FrameSpans | null>;
}

/** One split: N clips with features, valid lengths and labels. */
export interface SplitData {
  n: number;
  /** MMSA-style ids, "video$_$clip". */
  ids: string[];
  /** Regression labels in [-3, 3]. */
  labels: Float32Array;
  rawText: string[];
  l: SeqTensor;
  a: SeqTensor;
  v: SeqTensor;
  /** Valid length of each clip and modality (the rest is padding). */
  lengths: PerModality<Int32Array>;
  /** Per-clip timing, when the source knows it. */
  timing?: (ClipTiming | undefined)[];
  /** Absolute path of each clip's video, when the source has one. */
  videos?: (string | undefined)[];
  /**
   * Frames the source itself reports missing (OpenFace success = 0), 1 = missing, per clip and
   * modality over the valid length. They are left out of normalisation statistics and treated
   * as masked by the corruption operator.
   */
  sourceMissing?: PerModality<(Uint8Array | undefined)[]>;
  /** Non-finite values found in this split and replaced by 0, per modality, when the reader counts them. */
  nonfinite?: PerModality<number>;
}

/** Which reader produced a dataset. */
export type DatasetFormat = 'mmsa-pickle' | 'clip-folder';

/** What is known about a dataset as a whole. */
export interface DatasetInfo {
  format: DatasetFormat;
  /** Absolute path of the file or folder it was read from. */
  path: string;
  /** Display name (file or folder name). */
  name: string;
  /** Feature dimension per modality. */
  dims: PerModality<number>;
  /** Padded sequence length per modality. */
  seqLen: PerModality<number>;
  /** True when a and v are aligned to the text tokens (MMSA aligned_50). */
  aligned: boolean;
  /** Non-finite values found and replaced by 0, per modality, over all splits. */
  nonfinite: PerModality<number>;
  /** True for generated data (the demo corpus); the studio must say so. */
  synthetic: boolean;
  /** Free-text description (e.g. how a synthetic corpus was made). */
  description?: string;
  /** Things the reader fixed up and the user should know (truncated clips, dropped rows). */
  warnings: string[];
  /** Which extractor made each modality's features, for a clip folder DAR Studio extracted. */
  extractors?: ExtractorStamps;
}

/** A dataset in memory: every reader produces this. */
export interface Dataset {
  info: DatasetInfo;
  splits: Record<SplitName, SplitData>;
}
