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

/** The robustness report: metrics per missing rate ("0.0".."0.9"), their mean, and single-modality removals. */
export interface RobustnessReport {
  rates: Record<string, Metrics>;
  mean: Metrics;
  removed: PerModality<Metrics>;
  meta: { n: number; split: SplitName; models: number; seeds: number[] };
}
