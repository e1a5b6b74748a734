import type { PerModality } from './dataset';

/** The models the engine trains: DAR and the baselines it is compared with (docs/baselines.md). */
export type ModelKind = 'dar' | 'misa' | 'self-mm' | 'lnln';

/** Every model kind, DAR first (the default). */
export const MODEL_KINDS: readonly ModelKind[] = ['dar', 'misa', 'self-mm', 'lnln'];

/**
 * Any model's config as checkpoints store it: its own fields and the dataset's dims and lengths,
 * nested (DAR, LNLN: inputDims, seqLen) or flat as MMSA keeps them (MISA, Self-MM: dimL..seqV);
 * the engine's configShape reads either.
 */
export type ModelConfig = { [field: string]: unknown; inputDims?: PerModality<number>; seqLen?: PerModality<number> };

/** Architecture and loss weights of one DAR model (spec dar-model.md, defaults in brackets). */
// A type alias, not an interface: a model's config must be assignable to plain JSON (ModelConfigJson).
export type DarConfig = {
  /** Model width [128]. */
  d: number;
  /** Unified sequence length after alignment [16]. */
  t: number;
  /** Attention heads [4]. */
  heads: number;
  /** Dropout on sublayer outputs [0.1]. */
  dropout: number;
  /** Input feature dimension per modality (MOSI 768/5/20). */
  inputDims: PerModality<number>;
  /** Padded input length per modality (MOSI unaligned 50/375/500). */
  seqLen: PerModality<number>;
  /** Weight of L_sim + L_diff inside L_decouple [0.7]. */
  lambda: number;
  /** Weight of L_decouple [0.1]. */
  alpha: number;
  /** Weight of L_recon [0.1]. */
  beta: number;
  /** InfoNCE / supervised-contrastive temperature [0.1]. */
  tau: number;
};

/** How training draws missing rates (spec: Missing data). */
export type TrainMode = 'fixed' | 'uniform' | 'lnln';

/** Ablation switches of the paper's Table 2; each drops a loss term. */
export type Ablation = 'no_sim' | 'no_diff' | 'no_sim_diff' | 'no_recon' | 'no_boot';

/** The training protocol (spec: Training protocol). */
export interface TrainConfig {
  /** Missing rate per modality for training; all 0 is the "no missing-data training" baseline. */
  k: PerModality<number>;
  mode: TrainMode;
  epochs: number;
  /** Peak learning rate [1e-4]. */
  lr: number;
  batchSize: number;
  /** AdamW decoupled weight decay [1e-4]. */
  weightDecay: number;
  /** Global gradient-norm clip [2]. */
  clipNorm: number;
  /** Learning rate of the CLUB networks' Adam [1e-4]. */
  clubLr: number;
  seed: number;
  /** Early stopping after this many epochs without a better L_sel [20]. */
  patience: number;
  /** Missing rate of the validation split for model selection [0.5]. */
  validRate: number;
  ablations: Ablation[];
}

/**
 * Every loss term of one step or epoch: each model reports task, total and sel (the
 * validation selection criterion) and its own named terms (DAR: DAR_LOSS_TERMS).
 */
export interface LossTerms {
  task: number;
  total: number;
  sel: number;
  [term: string]: number;
}

/** DAR's loss terms in the order the engine reads and draws them (spec: Losses). */
export const DAR_LOSS_TERMS = ['task', 'sim', 'diff', 're', 'recon', 'total', 'sel', 'club'] as const;

/** DAR's loss terms by name. */
export type DarLossTerms = LossTerms & Record<(typeof DAR_LOSS_TERMS)[number], number>;
