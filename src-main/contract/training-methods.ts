/**
 * The studio's training, robustness, experiment and feature-space methods, types only.
 * They are part of StudioMethods (api.ts extends StudioTrainingMethods), so every shell serves
 * them: the worker owns runs and jobs, so closing a window never stops them.
 *
 * Files (the studio home is DAR_STUDIO_HOME, else the shell's user-data folder, else
 * ~/.dar-studio; runs live in `<home>/runs/<dataset-name>/`):
 *  - `<name>.safetensors`           the checkpoint (best epoch so far)
 *  - `<name>.resume.safetensors`    the resume sidecar while a run is unfinished
 *  - `<name>.run.json`              what the studio knows about the run (dataset path, preset, state)
 *  - `<name>.robustness.json`       the last robustness sweep whose first checkpoint this is
 *  - `<home>/runs/jobs.json`        the experiment queue
 */
import type { DatasetOverview } from './api';
import type { PerModality, SplitName } from './dataset';
import type { PresetName } from './worker-protocol';
import type { ErrorInfo } from './errors';
import type { Metrics, RobustnessReport } from './eval';
import type { Ablation, DarConfig, LossTerms, ModelConfig, ModelKind, TrainConfig, TrainMode } from './model';
import type { EpochRecord, TrainProgress, TrainSummary } from './train';

/** The model hyperparameters a user sets (input dims and lengths always come from the dataset). */
export type ModelHyper = Omit<DarConfig, 'inputDims' | 'seqLen'>;

/** Edits on top of a preset; a key left out keeps the preset's (or the spec's default) value. */
export interface TrainingOverrides {
  /** Which model [dar]. */
  modelKind?: ModelKind;
  /** DAR's hyperparameters, or another model's own (checked by its registry entry). */
  model?: Partial<ModelHyper> | Record<string, number | boolean>;
  /** `k` may name some modalities only: the others keep the preset's rate. */
  train?: Partial<Omit<TrainConfig, 'k'>> & { k?: Partial<PerModality<number>> };
}

/** startTraining's params. Every field is checked; a bad one is ARG_INVALID naming it (e.g. "model.d"). */
export interface StartTrainingParams extends TrainingOverrides {
  /** Dataset file or folder [the open dataset]. */
  dataset?: string;
  /** Starting point [none: the spec's defaults]. */
  preset?: PresetName;
  /** Checkpoint to write, ending in .safetensors, must not exist [<home>/runs/<dataset>/<timestamp>-<preset|custom>.safetensors]. */
  out?: string;
}

/** A model the training form offers. */
export interface ModelChoice {
  kind: ModelKind;
  /** "DAR", "MISA", "Self-MM", "LNLN". */
  label: string;
  /** Its hyperparameters at their defaults (dims and lengths come from the dataset). */
  defaults: Record<string, unknown>;
}

/** What the training form starts from. */
export interface TrainingDefaults {
  preset: PresetName | null;
  /** DAR's hyperparameters (the default model). */
  model: ModelHyper;
  /** Every model this engine trains, DAR first, with its hyperparameters' defaults. */
  models: ModelChoice[];
  train: TrainConfig;
  presets: PresetName[];
  modes: TrainMode[];
  ablations: Ablation[];
  /** The folder new runs go to. */
  runsRoot: string;
}

/** Where a run is. `stopped` = stopped by the user (resumable when an epoch finished). */
export type TrainingRunState = 'running' | 'stopping' | 'finished' | 'stopped' | 'failed';

/** Every step's loss terms so far, as curves: x = epoch + step / steps (fractional epochs). */
export interface StepTrace {
  x: Float32Array;
  terms: Record<string, Float32Array>;
}

/** A training run the worker owns (the current one, or the last one of this worker). */
export interface TrainingRun {
  checkpoint: string;
  dataset: { name: string; path: string; synthetic: boolean };
  preset: PresetName | null;
  modelKind: ModelKind;
  model: ModelConfig;
  train: TrainConfig;
  /** The compute backend, e.g. "WebAssembly (SIMD, 1 thread)". */
  backend: string;
  /** The experiment job this run belongs to, if any. */
  jobId: string | null;
  state: TrainingRunState;
  startedAt: string;
  finishedAt: string | null;
  /** Epochs already done when the run resumed from its sidecar (null: a fresh run). */
  resumedFrom: number | null;
  /** The last progress event (step or epoch); carries the ETA. */
  progress: TrainProgress | null;
  /** Every finished epoch (including those before a resume): the per-epoch curves. */
  history: EpochRecord[];
  /** Epoch whose weights the checkpoint holds (-1 before the first epoch ends). */
  selectedEpoch: number;
  steps: StepTrace;
  summary: Omit<TrainSummary, 'history'> | null;
  error: ErrorInfo | null;
}

/** trainingStatus's answer. */
export interface TrainingStatus {
  /** True while a run (the studio's, a job's or the CLI-style `train`) holds the engine. */
  active: boolean;
  run: TrainingRun | null;
}

/** A sweep saved beside its first checkpoint as `<name>.robustness.json`. */
export interface RobustnessRecord {
  format: 'dar-robustness/1';
  /** Checkpoints averaged (e.g. three training seeds); the file sits beside the first. */
  checkpoints: string[];
  dataset: string;
  split: SplitName;
  seeds: number[];
  createdAt: string;
  report: RobustnessReport;
}

/** runRobustness's params: the same sweep as `dar eval`. */
export interface RobustnessParams {
  checkpoints: string[];
  /** Dataset file or folder [the open dataset]. */
  dataset?: string;
  /** [test] */
  split?: SplitName;
  /** Evaluation mask seeds [1111]. */
  seeds?: number[];
}

/** exportRobustness's params: a report, or the checkpoint whose saved report to export. */
export interface ExportRobustnessParams {
  report?: RobustnessReport;
  checkpoint?: string;
  format: 'csv' | 'md';
}

/** An export as text; the renderer saves it. */
export interface ExportedText {
  text: string;
  /** A suggested file name, e.g. "run-1.robustness.csv". */
  fileName: string;
  mimeType: string;
}

/** One checkpoint the studio can open, compare and evaluate. */
export interface CheckpointEntry {
  path: string;
  name: string;
  /** The demo model, a studio run (the runs folder) or the checkpoint open in the workbench. */
  source: 'demo' | 'run' | 'open';
  dataset: { name: string; synthetic: boolean; path: string | null };
  preset: PresetName | null;
  modelKind: ModelKind;
  model: ModelConfig;
  train: TrainConfig;
  selectedEpoch: number;
  /** Validation loss terms (L_sel = valid.sel) and metrics of the selected epoch. */
  selected: { valid: LossTerms; metrics: Metrics } | null;
  /** Per-epoch records (the L_sel history is history[i].valid.sel). */
  history: EpochRecord[];
  backend: string;
  createdAt: string;
  bytes: number;
  /** The workbench's model right now. */
  open: boolean;
  /** The open dataset has the dims and lengths this checkpoint was trained on. */
  fitsOpenDataset: boolean;
  /** A run of this worker is writing it now. */
  running: boolean;
  /** A resume sidecar exists (a stopped or crashed run): epochs done of planned. */
  resumable: { epoch: number; epochs: number } | null;
  jobId: string | null;
  robustness: RobustnessRecord | null;
}

/** listCheckpoints's answer, newest first. */
export interface CheckpointList {
  runsRoot: string;
  checkpoints: CheckpointEntry[];
  /** Files that look like checkpoints but could not be read. */
  unreadable: { path: string; error: ErrorInfo }[];
}

/** A set of experiments: the paper's Table 2 (ablations) or Table 3 (k sweep). */
export type ExperimentKind = 'ablations' | 'k-sweep';

/** queueExperiments's params. */
export interface QueueExperimentsParams extends TrainingOverrides {
  kind: ExperimentKind;
  /** Dataset file or folder [the open dataset]. */
  dataset?: string;
  preset?: PresetName;
  /** Shorthand for train.epochs. */
  epochs?: number;
  /** Training seeds; one job per variant and seed [the preset's seed]. */
  seeds?: number[];
  /** Evaluation mask seeds of each job's sweep [1111]. */
  evalSeeds?: number[];
  /** Split each job is evaluated on [test]. */
  split?: SplitName;
}

/** A job's state: pending -> training -> evaluating -> done (or failed / cancelled). */
export type JobState = 'pending' | 'training' | 'evaluating' | 'done' | 'failed' | 'cancelled';

/** One experiment job: train one variant, then run the robustness sweep on it. */
export interface ExperimentJob {
  id: string;
  /** Jobs queued by one click share it. */
  experiment: string;
  kind: ExperimentKind;
  /** Stable variant key: 'full', 'no_sim', ..., 'k0.3'. */
  variant: string;
  /** For people: "full DAR", "w/o L_sim", "k = 0 (no missing-data training)", with the seed. */
  label: string;
  dataset: string;
  datasetName: string;
  preset: PresetName | null;
  model: Partial<ModelHyper>;
  /** The resolved training configuration of the variant. */
  train: TrainConfig;
  split: SplitName;
  evalSeeds: number[];
  checkpoint: string;
  state: JobState;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  training: { selectedEpoch: number; epochsRun: number; bestSel: number; seconds: number; cancelled: boolean } | null;
  report: RobustnessReport | null;
  error: ErrorInfo | null;
}

/** The queue as listJobs shows it. */
export interface JobList {
  jobs: ExperimentJob[];
  /** The job being worked on. */
  running: string | null;
  /** True after a restart until resumeJobs: pending jobs wait instead of starting on their own. */
  paused: boolean;
  file: string;
}

/** Which features a projection shows. */
export type FeatureSet = 'common' | 'specific' | 'both';

/** featureProjection's params. */
export interface FeatureProjectionParams {
  /** [the workbench's open checkpoint] */
  checkpoint?: string;
  split: SplitName;
  /** Clips taken evenly over the split, 1..2000 [300]; UMAP maps at most 6000 points (1000 clips with 'both'). */
  maxClips?: number;
  method: 'pca' | 'umap';
  features: FeatureSet;
}

/**
 * How well the features decouple: silhouette scores with the cosine distance in the full
 * d-dimensional space of the time-averaged features (what L_sim compares; see
 * engine/projection/scores.ts). Each is in [-1, 1]; null when undefined.
 */
export interface DecouplingScores {
  /** Specific features grouped by modality: high = each modality keeps its own space. */
  specificByModality: number | null;
  /** Common features grouped by clip (its three modalities): high = they agree across modalities. */
  commonByClip: number | null;
  /** Common features grouped by modality: low (near 0 or below) = no modality signature left. */
  commonByModality: number | null;
  /** Clips the scores were computed on (at most 300). */
  clips: number;
}

/**
 * A 2-D map of time-averaged complete features, one point per (kind, modality, clip), in the
 * order kind (common, then specific) -> modality (l, a, v) -> clip.
 */
export interface FeatureProjection {
  checkpoint: string;
  split: SplitName;
  method: 'pca' | 'umap';
  features: FeatureSet;
  x: Float32Array;
  y: Float32Array;
  /** 0 = l, 1 = a, 2 = v. */
  modality: Uint8Array;
  /** 0 = common (Hcom), 1 = specific (Hspec). */
  kind: Uint8Array;
  /** The point's clip: its index within the split (getClip / the workbench take { split, index }). */
  clip: Int32Array;
  label: Float32Array;
  /** The clips used, in order, and their ids. */
  clips: Int32Array;
  clipIds: string[];
  /** PCA: share of the variance on each axis; null for UMAP. */
  explained: [number, number] | null;
  scores: DecouplingScores;
}

/** The methods of this file; api.ts's StudioMethods extends this table. */
export interface StudioTrainingMethods {
  /** The form's starting values for a preset (none: the spec's defaults). */
  trainingDefaults: [{ preset?: PresetName }, TrainingDefaults];
  /** Starts a run in the worker and answers at once; `train-progress` and `train-state` events follow. */
  startTraining: [StartTrainingParams, TrainingStatus];
  /** Stops the running run after its current step (shared with the engine's own stopTraining). */
  stopTraining: [Record<string, never>, { stopping: boolean }];
  /** Continues a stopped or crashed run from its checkpoint's resume sidecar. */
  resumeTraining: [{ checkpoint: string; dataset?: string }, TrainingStatus];
  /** The current (or last) run with its full history, so a reopened window redraws every curve. */
  trainingStatus: [Record<string, never>, TrainingStatus];
  /** The runs folder, the demo model and the open checkpoint, with scores and saved sweeps. */
  listCheckpoints: [Record<string, never>, CheckpointList];
  /** Makes a checkpoint the workbench's model (on `dataset`, else the open dataset, else the one it was trained on). */
  openCheckpoint: [{ path: string; dataset?: string }, DatasetOverview];
  /** The robustness sweep (`dar eval`), with `eval-progress` events; saved beside the first checkpoint. */
  runRobustness: [RobustnessParams, RobustnessRecord];
  /** A report as CSV (one row per condition, full precision) or Markdown (the `dar eval` table). */
  exportRobustness: [ExportRobustnessParams, ExportedText];
  /** Queues the paper's ablation set or k sweep (train then evaluate, one job at a time). */
  queueExperiments: [QueueExperimentsParams, JobList];
  listJobs: [Record<string, never>, JobList];
  /** Cancels a job, or every unfinished job of an experiment when `id` is an experiment id. */
  cancelJob: [{ id: string }, JobList];
  /** Lets pending jobs run again after a restart (the queue starts paused). */
  resumeJobs: [Record<string, never>, JobList];
  /** 2-D projection of common / specific features with decoupling scores. */
  featureProjection: [FeatureProjectionParams, FeatureProjection];
}
