/**
 * Every model the engine can build, by kind. A baseline registers itself with one line here
 * (its ModelDefinition); training, checkpoints, the CLI and the studio find models only
 * through this table, so a kind that is not in it is refused with MODEL_UNKNOWN everywhere.
 */
import type { ModelKind } from '#contract/model';
import { MODEL_KINDS } from '#contract/model';
import { DarError } from '../errors';
import { DAR_DEFINITION } from './dar-definition';
import type { ModelConfigJson, ModelDefinition, SentimentModel } from './sentiment-model';

// One line per model; keep DAR first (the default). The baselines' lines go below it.
const DEFINITIONS: Partial<Record<ModelKind, ModelDefinition>> = {
  dar: DAR_DEFINITION,
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

/** Builds a model of `kind` from a config its definition validates (ARG_INVALID naming the bad field). */
export function createModel(kind: unknown, config: unknown, seed: number): SentimentModel {
  const def: ModelDefinition = modelDefinition(kind);
  def.validate(config);
  return def.create(config as ModelConfigJson, seed);
}
