/**
 * Self-MM's configuration: MMSA's config_regression.json "self_mm" entry for MOSI (commonParams
 * and datasetParams.mosi), minus BERT's own learning rate and decay (its features are frozen here).
 */
import type { ModelDefinition } from '../../sentiment-model';
import { DIM_RULES, checkFields, dimFields } from '../common/config-fields';
import type { DimConfig } from '../common/config-fields';

/** Self-MM hyper-parameters (MMSA MOSI values in brackets) and the dataset's dims. */
export interface SelfMmConfig extends DimConfig {
  /** LSTM widths [16, 32] and the sub-networks' outputs [16, 32]. */
  aLstmHidden: number;
  vLstmHidden: number;
  audioOut: number;
  videoOut: number;
  /** Dropout on each LSTM's final state [0, 0]. */
  aLstmDropout: number;
  vLstmDropout: number;
  postFusionDim: number;
  postTextDim: number;
  postAudioDim: number;
  postVideoDim: number;
  postFusionDropout: number;
  postTextDropout: number;
  postAudioDropout: number;
  postVideoDropout: number;
  /** Bound of the generated unimodal labels [3]. */
  H: number;
  /** 1: a zero label counts for neither centre (MMSA excludeZero) [1]. */
  excludeZero: number;
  /** Adam per parameter group: audio sub-network, video sub-network, everything else. */
  lrAudio: number;
  lrVideo: number;
  lrOther: number;
  /** torch Adam's (L2) weight decay per group [1e-3 each]. */
  wdAudio: number;
  wdVideo: number;
  wdOther: number;
  /** Batches whose gradients are summed per optimiser step [4]. */
  updateEpochs: number;
}

/** MMSA's MOSI values. */
export const SELF_MM_DEFAULTS = {
  aLstmHidden: 16,
  vLstmHidden: 32,
  audioOut: 16,
  videoOut: 32,
  aLstmDropout: 0,
  vLstmDropout: 0,
  postFusionDim: 128,
  postTextDim: 32,
  postAudioDim: 16,
  postVideoDim: 32,
  postFusionDropout: 0,
  postTextDropout: 0.1,
  postAudioDropout: 0.1,
  postVideoDropout: 0,
  H: 3,
  excludeZero: 1,
  lrAudio: 5e-3,
  lrVideo: 5e-3,
  lrOther: 1e-3,
  wdAudio: 1e-3,
  wdVideo: 1e-3,
  wdOther: 1e-3,
  updateEpochs: 4,
};

const width = { int: true, min: 1, max: 4096 };
const rate = { min: 0, max: 0.99 };
const RULES = {
  ...DIM_RULES,
  ...Object.fromEntries(['aLstmHidden', 'vLstmHidden', 'audioOut', 'videoOut', 'postFusionDim', 'postTextDim', 'postAudioDim', 'postVideoDim'].map((k) => [k, width])),
  ...Object.fromEntries(['aLstmDropout', 'vLstmDropout', 'postFusionDropout', 'postTextDropout', 'postAudioDropout', 'postVideoDropout'].map((k) => [k, rate])),
  ...Object.fromEntries(['lrAudio', 'lrVideo', 'lrOther', 'wdAudio', 'wdVideo', 'wdOther'].map((k) => [k, { min: 0, max: 1 }])),
  H: { min: 1e-6, max: 100 },
  excludeZero: { int: true, min: 0, max: 1 },
  updateEpochs: { int: true, min: 1, max: 1000 },
};

/** Throws ARG_INVALID naming the first bad field. */
export function validateSelfMmConfig(config: unknown): asserts config is SelfMmConfig {
  checkFields('self-mm', config, RULES);
}

/** The config for a dataset's dims with overrides, validated. */
export const selfMmConfigFor: ModelDefinition<SelfMmConfig>['configFor'] = (dims, overrides = {}) => {
  const config = { ...SELF_MM_DEFAULTS, ...dimFields(dims), ...overrides } as SelfMmConfig;
  validateSelfMmConfig(config);
  return config;
};
