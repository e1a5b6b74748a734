import type { PerModality } from '#contract/dataset';

/** One modality of a batch as plain typed arrays, row-major [size, t, d]. */
export interface BatchModality {
  /** Normalised features, padding 0. */
  complete: Float32Array;
  /** The same with masked frames zeroed (the corruption operator's output). */
  corrupted: Float32Array;
  /** Padded length of this batch (may be shorter than the dataset's: trimmed to the longest clip). */
  t: number;
  d: number;
  /** Valid length per sample. */
  lengths: Int32Array;
  /** Mask per sample and position (1 = masked), [size, t]; kept to report which bins a mask touched. */
  masks: Uint8Array;
}

/** A batch as the engine moves it around: typed arrays only (tensors never cross processes). */
export interface ModelBatch {
  size: number;
  modalities: PerModality<BatchModality>;
  /** Regression labels, when known. */
  labels?: Float32Array;
  /** Index of each sample in its split. */
  indices: Int32Array;
}
