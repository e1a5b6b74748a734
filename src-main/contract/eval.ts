import type { PerModality, SplitName } from './dataset';

/** MMSA's eight regression metrics (values are fractions; null where undefined, e.g. Corr of a constant). */
export interface Metrics {
  Has0_acc_2: number | null;
  Has0_F1_score: number | null;
  Non0_acc_2: number | null;
  Non0_F1_score: number | null;
  Mult_acc_5: number | null;
  Mult_acc_7: number | null;
  MAE: number | null;
  Corr: number | null;
}

/** Where predictions (or labels) sit: their mean, population standard deviation and share >= 0. */
export interface PredictionStats {
  mean: number;
  sd: number;
  positive: number;
}

/**
 * How a model's predictions move as data goes missing (averaged like the metrics): the labels'
 * statistics, the predictions' at every rate and removal, and with every modality masked
 * (`all`: what the model says when it sees nothing but the clip's lengths).
 */
export interface PredictionDrift {
  label: PredictionStats;
  rates: Record<string, PredictionStats>;
  removed: PerModality<PredictionStats>;
  all: PredictionStats;
}

/** The robustness report: metrics per missing rate ("0.0".."0.9"), their mean, and single-modality removals. */
export interface RobustnessReport {
  rates: Record<string, Metrics>;
  mean: Metrics;
  removed: PerModality<Metrics>;
  /** Prediction drift under missing data; absent from reports made before it existed. */
  predictions?: PredictionDrift;
  meta: { n: number; split: SplitName; models: number; seeds: number[] };
}
