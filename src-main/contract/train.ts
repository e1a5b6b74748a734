import type { Metrics } from './eval';
import type { LossTerms } from './model';

/** One epoch of a training run, as kept in the checkpoint's history and drawn by the studio. */
export interface EpochRecord {
  epoch: number;
  lr: number;
  /** Mean loss terms over the epoch's training batches. */
  train: LossTerms;
  /** Loss terms on the validation split corrupted at the validation rate, eval mode. */
  valid: LossTerms;
  /** Metrics of the validation predictions under the same corruption. */
  validMetrics: Metrics;
  seconds: number;
  /** True when this epoch's L_sel was the best so far (its weights were saved). */
  best: boolean;
}

/** A progress event of a training run. */
export interface TrainProgress {
  kind: 'step' | 'epoch';
  epoch: number;
  epochs: number;
  /** Batches done in this epoch and their count. */
  step: number;
  steps: number;
  /** Terms of the last step (kind 'step') or the epoch record (kind 'epoch'). */
  terms?: LossTerms;
  record?: EpochRecord;
  elapsedMs: number;
  /** Estimated time left for the whole run. */
  etaMs: number;
}

/** How a training run ended. */
export interface TrainSummary {
  checkpoint: string;
  selectedEpoch: number;
  bestSel: number;
  epochsRun: number;
  stoppedEarly: boolean;
  cancelled: boolean;
  resumedFrom: number | null;
  backend: string;
  msPerStep: number;
  seconds: number;
  history: EpochRecord[];
}
