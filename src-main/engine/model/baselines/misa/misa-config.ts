/**
 * MISA's configuration: MMSA's config_regression.json "misa" entry for MOSI (commonParams and
 * datasetParams.mosi), minus what frozen features make moot (BERT's name and fine-tuning).
 */
import type { ModelDefinition } from '../../sentiment-model';
import { DarError } from '../../../errors';
import { DIM_RULES, checkFields, dimFields } from '../common/config-fields';
import type { DimConfig } from '../common/config-fields';

/** MISA hyper-parameters (MMSA MOSI values in brackets) and the dataset's dims. */
export interface MisaConfig extends DimConfig {
  /** Width of the shared and private spaces [128]. */
  hidden: number;
  /** Dropout of the fusion head [0.2]. */
  dropout: number;
  /** Dropout inside the fusion transformer layer (PyTorch's default, MMSA sets none) [0.1]. */
  transformerDropout: number;
  /** Feed-forward width of the fusion transformer layer (PyTorch's default) [2048]. */
  ffDim: number;
  /** Attention heads of the fusion transformer layer [2]. */
  heads: number;
  /** CMD moments [5]. */
  cmdMoments: number;
  diffWeight: number;
  simWeight: number;
  reconWeight: number;
  /** Adam learning rate [1e-4]; MMSA's schedule is constant. */
  lr: number;
  weightDecay: number;
  /** Element-wise gradient clip (clip_grad_value_) [0.8]; -1 disables it. */
  gradClip: number;
  /** Batches whose gradients are summed per optimiser step [2]. */
  updateEpochs: number;
}

/** MMSA's MOSI values. */
export const MISA_DEFAULTS = {
  hidden: 128,
  dropout: 0.2,
  transformerDropout: 0.1,
  ffDim: 2048,
  heads: 2,
  cmdMoments: 5,
  diffWeight: 0.1,
  simWeight: 0.3,
  reconWeight: 1.0,
  lr: 1e-4,
  weightDecay: 0,
  gradClip: 0.8,
  updateEpochs: 2,
};

const RULES = {
  ...DIM_RULES,
  hidden: { int: true, min: 2, max: 4096 },
  dropout: { min: 0, max: 0.99 },
  transformerDropout: { min: 0, max: 0.99 },
  ffDim: { int: true, min: 1, max: 16384 },
  heads: { int: true, min: 1, max: 64 },
  cmdMoments: { int: true, min: 1, max: 10 },
  diffWeight: { min: 0, max: 100 },
  simWeight: { min: 0, max: 100 },
  reconWeight: { min: 0, max: 100 },
  lr: { min: 0, max: 1 },
  weightDecay: { min: 0, max: 1 },
  gradClip: { min: -1, max: 1e6 },
  updateEpochs: { int: true, min: 1, max: 1000 },
};

/** Throws ARG_INVALID naming the first bad field (heads must divide hidden). */
export function validateMisaConfig(config: unknown): asserts config is MisaConfig {
  checkFields('misa', config, RULES);
  const c = config as MisaConfig;
  if (c.hidden % c.heads !== 0) throw new DarError('ARG_INVALID', `misa config: heads (${c.heads}) must divide hidden (${c.hidden})`);
}

/** The config for a dataset's dims with overrides, validated. */
export const misaConfigFor: ModelDefinition<MisaConfig>['configFor'] = (dims, overrides = {}) => {
  const config = { ...MISA_DEFAULTS, ...dimFields(dims), ...overrides } as MisaConfig;
  validateMisaConfig(config);
  return config;
};
