/**
 * The three extractors as the pipeline sees them (built on branches acoustic, visual and bert;
 * see default-extractors.ts). Tests inject small fakes through these shapes.
 */
import type { AcousticPreset, ExtractorStamp } from '#contract/extract';

/** Per-frame acoustic features of a mono signal. */
export interface AcousticResult {
  columns: string[];
  /** [n, columns.length], row-major. */
  frames: Float32Array;
  n: number;
  hopSeconds: number;
  sampleRate: number;
}

/** The acoustic extractor: samples at `sampleRate` to frames. */
export interface AcousticExtractor {
  stamp(preset: AcousticPreset): ExtractorStamp;
  features(samples: Float32Array, sampleRate: number, preset: AcousticPreset): AcousticResult | Promise<AcousticResult>;
}

/** One face tracker over one video's frames, in order. */
export interface FaceTracker {
  columns: string[];
  /** A frame of rgb24 pixels; `present` false when no face was found (values then ignored). */
  frame(rgb: Uint8Array, width: number, height: number): Promise<{ present: boolean; values: ArrayLike<number> }>;
  dispose(): void;
}

/** The visual extractor: one tracker per run, its model loaded once. */
export interface VisualExtractor {
  stamp(fps: number): ExtractorStamp;
  createTracker(fps: number): Promise<FaceTracker>;
}

/** A loaded text encoder: words to [CLS], one row per word, [SEP]. */
export interface TextEncoder {
  dim: number;
  encode(words: string[]): Promise<{ rows: number; data: Float32Array }>;
  dispose(): void;
}

/** The language extractor. */
export interface LanguageExtractor {
  stamp(modelDir: string | undefined): ExtractorStamp;
  createEncoder(options: { modelDir?: string; onProgress?: (fraction: number) => void }): Promise<TextEncoder>;
}

/** The three together: what extractFolder runs. */
export interface Extractors {
  acoustic: AcousticExtractor;
  visual: VisualExtractor;
  language: LanguageExtractor;
}
