/** LNLN's registry entry: its config for a dataset, validation, and construction. */
import type { ModelDefinition } from '../../sentiment-model';
import { lnlnConfigFor, validateLnlnConfig } from './lnln-config';
import type { LnlnConfig } from './lnln-config';
import { LnlnModel } from './lnln-model';

/** How the engine builds LNLN (Zhang et al., NeurIPS 2024; docs/baselines.md). */
export const LNLN_DEFINITION: ModelDefinition<LnlnConfig> = {
  kind: 'lnln',
  label: 'LNLN',
  configFor: (dims, overrides) => lnlnConfigFor(dims, overrides),
  validate: validateLnlnConfig,
  create: (config, seed) => new LnlnModel(config, seed),
};
