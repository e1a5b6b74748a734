/** The training form's fields: labels, hints and input steps of every hyperparameter of the spec. */
import type { PresetName } from '#contract/worker-protocol';
import type { ModelHyper } from '#contract/training-methods';
import type { Ablation, TrainConfig } from '#contract/model';

type ModelKey = keyof ModelHyper;
type TrainNumber = Exclude<keyof TrainConfig, 'k' | 'mode' | 'ablations'>;

/** A numeric field of the form. */
export interface FieldDef<K extends string> {
  key: K;
  label: string;
  hint: string;
  step?: number;
}

/** The model's hyperparameters. */
export const MODEL_FIELDS: readonly FieldDef<ModelKey>[] = [
  { key: 'd', label: 'width d', hint: 'Model width; even, divisible by heads', step: 2 },
  { key: 't', label: 'length t', hint: 'Unified sequence length after alignment', step: 1 },
  { key: 'heads', label: 'heads', hint: 'Attention heads; must divide d', step: 1 },
  { key: 'dropout', label: 'dropout', hint: 'Dropout on sublayer outputs, in [0, 1)' },
  { key: 'lambda', label: 'λ (lambda)', hint: 'Weight of L_sim + L_diff inside L_decouple' },
  { key: 'alpha', label: 'α (alpha)', hint: 'Weight of L_decouple' },
  { key: 'beta', label: 'β (beta)', hint: 'Weight of L_recon' },
  { key: 'tau', label: 'τ (tau)', hint: 'InfoNCE temperature, > 0' },
];
/** The optimisation settings shown at once. */
export const TRAIN_FIELDS: readonly FieldDef<TrainNumber>[] = [
  { key: 'epochs', label: 'epochs', hint: 'Most epochs (early stopping may end sooner)', step: 1 },
  { key: 'lr', label: 'learning rate', hint: 'Peak learning rate (warm-up, then cosine)' },
  { key: 'batchSize', label: 'batch', hint: 'Batch size, >= 2', step: 1 },
  { key: 'seed', label: 'seed', hint: 'Training seed (initialisation, shuffling, masks)', step: 1 },
];
/** The settings behind "more". */
export const ADVANCED_FIELDS: readonly FieldDef<TrainNumber>[] = [
  { key: 'patience', label: 'patience', hint: 'Early stopping after this many epochs without a better L_sel', step: 1 },
  { key: 'validRate', label: 'validation rate', hint: 'Missing rate of the validation split for model selection' },
  { key: 'weightDecay', label: 'weight decay', hint: 'AdamW decoupled weight decay' },
  { key: 'clipNorm', label: 'clip norm', hint: 'Global gradient-norm clip' },
  { key: 'clubLr', label: 'CLUB lr', hint: 'Learning rate of the CLUB networks' },
];
/** The training missing rate per modality. */
export const K_FIELDS = [
  { key: 'l', label: 'k language' },
  { key: 'a', label: 'k acoustic' },
  { key: 'v', label: 'k visual' },
] as const;
/** The ablation switches as the paper's Table 2 names them. */
export const ABLATION_WORDS: Record<Ablation, string> = {
  no_sim: 'w/o L_sim',
  no_diff: 'w/o L_diff',
  no_sim_diff: 'w/o L_sim and L_diff',
  no_recon: 'w/o L_recon',
  no_boot: 'w/o bootstrap loss',
};
/** The presets' names. */
export const PRESET_WORDS: Record<PresetName, string> = { mosi: 'MOSI', mosei: 'MOSEI', demo: 'demo' };
