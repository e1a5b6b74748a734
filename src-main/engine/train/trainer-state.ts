/**
 * A ModelTrainer's state in the resume sidecar's three places: optimiser moments and other
 * tensors as safetensors tensors (exact floats, no JSON blow-up), everything else as JSON in
 * the metadata. The loop stores whatever a model's trainer hands it, with no model special case.
 */
import { DarError } from '../errors';
import { isRecord } from '../guards';
import type { TrainerState } from '../model/sentiment-model';
import type { TensorMap } from '../checkpoint/safetensors';
import type { OptimizerState } from './optimizer';

/** TrainerState split by where the sidecar keeps each part. */
export interface StoredTrainerState {
  optimizers: Record<string, OptimizerState>;
  tensors: TensorMap;
  json: Record<string, unknown>;
}

/** Splits a trainer's exported state (the JSON part copied through JSON, as the sidecar will give it back). */
export function exportTrainerState(state: TrainerState): StoredTrainerState {
  const { optimizers = {}, weights = new Map(), ...json } = state;
  return { optimizers, tensors: weights, json: JSON.parse(JSON.stringify(json)) as Record<string, unknown> };
}

/** The TrainerState a trainer exported, from the parts the sidecar kept. */
export function importTrainerState(stored: { optimizers: Record<string, OptimizerState>; tensors?: TensorMap; json?: unknown }): TrainerState {
  if (stored.json !== undefined && !isRecord(stored.json)) throw new DarError('CHECKPOINT_MALFORMED', 'resume sidecar: trainer state must be an object');
  return { ...(stored.json ?? {}), optimizers: stored.optimizers, weights: stored.tensors ?? new Map() };
}
