/**
 * Every model the engine can build, by kind. A baseline registers itself with one line here
 * (its ModelDefinition); training, checkpoints, the CLI and the studio find models only
 * through this table, so a kind that is not in it is refused with MODEL_UNKNOWN everywhere.
 */
import type { ModelKind } from '#contract/model';
import { MODEL_KINDS } from '#contract/model';
import { DarError } from '../errors';
import { DAR_DEFINITION } from './dar-definition';
import { misaDefinition } from './baselines/misa/misa-definition';
import { selfMmDefinition } from './baselines/self-mm/self-mm-definition';
import { LNLN_DEFINITION } from './baselines/lnln/lnln-definition';
import type { ModelConfigJson, ModelDefinition, SentimentModel } from './sentiment-model';

// One line per model (and its import above); keep DAR first (the default). A baseline adds e.g.
// `misa: MISA_DEFINITION,` and its test file calls describeModelConformance('misa', {...}).
const DEFINITIONS: Partial<Record<ModelKind, ModelDefinition>> = {
  dar: DAR_DEFINITION,
  misa: misaDefinition as unknown as ModelDefinition,
  'self-mm': selfMmDefinition as unknown as ModelDefinition,
  lnln: LNLN_DEFINITION,
};

/** The model every command and view uses when none is named. */
export const DEFAULT_MODEL_KIND: ModelKind = 'dar';

/** The kinds this build can train and load, in MODEL_KINDS order. */
export function availableModelKinds(): ModelKind[] {
  return MODEL_KINDS.filter((k) => DEFINITIONS[k] !== undefined);
}

/** The definition of `kind`; MODEL_UNKNOWN when it is not a model kind or not built into this engine. */
export function modelDefinition(kind: unknown): ModelDefinition {
  const def = typeof kind === 'string' ? DEFINITIONS[kind as ModelKind] : undefined;
  if (def && Object.hasOwn(DEFINITIONS, kind as string)) return def;
  const known = (MODEL_KINDS as readonly unknown[]).includes(kind);
  const why = known ? 'is not available in this build' : 'is not a model kind';
  throw new DarError('MODEL_UNKNOWN', `model ${JSON.stringify(kind)} ${why} (available: ${availableModelKinds().join(', ')})`);
}

/** Checks `config` against the definition of `kind` (MODEL_UNKNOWN, or ARG_INVALID naming the bad field). */
export function validateModel(kind: unknown, config: unknown): void {
  const def: ModelDefinition = modelDefinition(kind);
  def.validate(config);
}

/** Builds a model of `kind` from a config its definition validates (ARG_INVALID naming the bad field). */
export function createModel(kind: unknown, config: unknown, seed: number): SentimentModel {
  const def: ModelDefinition = modelDefinition(kind);
  def.validate(config);
  return def.create(config as ModelConfigJson, seed);
}
