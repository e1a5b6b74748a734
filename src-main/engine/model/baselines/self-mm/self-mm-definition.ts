/** Self-MM's registry entry: its config, validation and constructor. */
import type { ModelDefinition } from '../../sentiment-model';
import { selfMmConfigFor, validateSelfMmConfig } from './self-mm-config';
import type { SelfMmConfig } from './self-mm-config';
import { SelfMmModel } from './self-mm-model';

/** How the engine builds Self-MM. */
export const selfMmDefinition: ModelDefinition<SelfMmConfig> = {
  kind: 'self-mm',
  label: 'Self-MM',
  configFor: selfMmConfigFor,
  validate: validateSelfMmConfig,
  create: (config, seed) => new SelfMmModel(config, seed),
};
