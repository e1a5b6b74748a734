import type { Dataset, DatasetFormat, PerModality, SeqTensor, SplitData, SplitName } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';

/** Minimum, maximum and mean of a list of numbers (all 0 when it is empty). */
export interface Stats {
  min: number;
  max: number;
  mean: number;
}

/** What `dar inspect` reports about one split. */
export interface SplitSummary {
  n: number;
  /** [N, T, D] of each modality. */
  text: [number, number, number];
  audio: [number, number, number];
  vision: [number, number, number];
  lengths: PerModality<Stats>;
  labels: Stats;
  /** Non-finite values the reader replaced by 0 (0 when the reader does not count them). */
  nonfinite: PerModality<number>;
}

/** What `dar inspect --json` prints. */
export interface DatasetSummary {
  format: DatasetFormat;
  splits: Record<SplitName, SplitSummary>;
}


/** Shapes, valid-length and label statistics and non-finite counts of every split. */
export function summarizeDataset(ds: Dataset): DatasetSummary {
  return {
    format: ds.info.format,
    splits: {
      train: summarizeSplit(ds.splits.train),
      valid: summarizeSplit(ds.splits.valid),
      test: summarizeSplit(ds.splits.test),
    },
  };
}

function summarizeSplit(split: SplitData): SplitSummary {
  const shape = (x: SeqTensor): [number, number, number] => [x.n, x.t, x.d];
  const lengths = {} as PerModality<Stats>;
  for (const m of MODALITIES) lengths[m] = stats(split.lengths[m]);
  return {
    n: split.n,
    text: shape(split.l),
    audio: shape(split.a),
    vision: shape(split.v),
    lengths,
    labels: stats(split.labels),
    nonfinite: { ...(split.nonfinite ?? { l: 0, a: 0, v: 0 }) },
  };
}

/** Statistics accumulated in float64, so float32 inputs give numpy's float64 mean. */
export function stats(values: ArrayLike<number>): Stats {
  if (values.length === 0) return { min: 0, max: 0, mean: 0 };
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (x < min) min = x;
    if (x > max) max = x;
    sum += x;
  }
  return { min, max, mean: sum / values.length };
}
