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

/**
 * One number per metric for the whole curve (OpenVNA's robustness): `area`, the trapezoid area
 * under metric-vs-rate over 0.0-0.9 divided by the span (the curve's mean level, in the metric's
 * units), and `effective`, the metric at 0.0 minus that level; null where undefined.
 */
export type RobustnessScore = Record<keyof Metrics, { area: number | null; effective: number | null }>;

/** The robustness report: metrics per missing rate ("0.0".."0.9"), their mean, and single-modality removals. */
export interface RobustnessReport {
  rates: Record<string, Metrics>;
  mean: Metrics;
  removed: PerModality<Metrics>;
  /** Prediction drift under missing data; absent from reports made before it existed. */
  predictions?: PredictionDrift;
  /** One number per metric for the whole curve; absent from reports made before it existed. */
  score?: RobustnessScore;
  meta: { n: number; split: SplitName; models: number; seeds: number[] };
}
