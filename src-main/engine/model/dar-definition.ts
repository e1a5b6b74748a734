/** DAR's entry in the model registry: its config's defaults, validation and construction. */
import { MODALITIES } from '#contract/dataset';
import type { DarConfig } from '#contract/model';
import { DarError } from '../errors';
import { isRecord } from '../guards';
import { DAR_DEFAULTS, darConfigFor, validateModelConfig } from '../train/config';
import { DarModel } from './dar-model';
import type { ModelDefinition, SentimentModel } from './sentiment-model';

const SHAPE_KEYS = ['inputDims', 'seqLen'] as const;

/** Throws ARG_INVALID unless `config` is a complete DarConfig of numbers with no other key. */
function validateDar(config: unknown): asserts config is DarConfig {
  if (!isRecord(config)) throw new DarError('ARG_INVALID', 'DAR config must be an object');
  const known = [...Object.keys(DAR_DEFAULTS), ...SHAPE_KEYS];
  const unknown = Object.keys(config).find((k) => !known.includes(k));
  if (unknown !== undefined) throw new DarError('ARG_INVALID', `DAR config: unknown field "${unknown}" (known: ${known.join(', ')})`);
  for (const key of Object.keys(DAR_DEFAULTS)) {
    if (typeof config[key] !== 'number') throw new DarError('ARG_INVALID', `DAR config: ${key} must be a number, got ${JSON.stringify(config[key])}`);
  }
  for (const key of SHAPE_KEYS) {
    const v = config[key];
    if (!isRecord(v) || MODALITIES.some((m) => typeof v[m] !== 'number')) throw new DarError('ARG_INVALID', `DAR config: ${key} must give a number for each of l, a, v`);
  }
  validateModelConfig(config as DarConfig);
}

/** DAR (docs/dar-model.md). */
export const DAR_DEFINITION: ModelDefinition<DarConfig> = {
  kind: 'dar',
  label: 'DAR',
  configFor: (shape, overrides) => {
    if (overrides !== undefined) validateDar({ ...DAR_DEFAULTS, ...shape, ...overrides });
    return darConfigFor(shape, overrides);
  },
  validate: validateDar,
  create: (config, seed) => new DarModel(config, seed),
};

/**
 * The DarModel behind a SentimentModel, for what only DAR has (decoupled features: explain,
 * feature space); MODEL_UNSUPPORTED naming `feature` for any other model.
 */
export function darModelOf(model: SentimentModel, feature: string): DarModel {
  if (model instanceof DarModel) return model;
  throw new DarError('MODEL_UNSUPPORTED', `${feature} needs DAR's decoupled features; this is a ${model.kind} model, which has none`);
}
