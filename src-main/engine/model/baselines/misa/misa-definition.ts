/** MISA's registry entry: its config, validation and constructor. */
import type { ModelDefinition } from '../../sentiment-model';
import { misaConfigFor, validateMisaConfig } from './misa-config';
import type { MisaConfig } from './misa-config';
import { MisaModel } from './misa-model';

/** How the engine builds MISA. */
export const misaDefinition: ModelDefinition<MisaConfig> = {
  kind: 'misa',
  label: 'MISA',
  configFor: misaConfigFor,
  validate: validateMisaConfig,
  create: (config, seed) => new MisaModel(config, seed),
};
