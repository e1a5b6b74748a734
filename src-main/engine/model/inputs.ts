/** The model's tensor inputs and their upload from a typed-array ModelBatch. */
import * as tf from '@tensorflow/tfjs-core';
import type { DarConfig } from '../../contract/model';
import type { Modality, PerModality } from '../../contract/dataset';
import { DarError, shapeStr } from '../errors';
import type { ModelBatch } from './batch';
import { poolingMatrix } from './pooling';

/** Modalities in the spec's fixed order. */
export const MODALITY_ORDER: readonly Modality[] = ['l', 'a', 'v'];

/** One modality of a batch as tensors. */
export interface ModalityInput {
  /** [B, T, d_m] normalised, padding 0. */
  complete: tf.Tensor3D;
  /** Same with masked frames zeroed; pass the very same tensor as `complete` to run one branch. */
  corrupted: tf.Tensor3D;
  /** [B, t, T] relative-time pooling matrix from the valid lengths. */
  pool: tf.Tensor3D;
}

/** The model's inputs, per modality. */
export type ModelInputs = PerModality<ModalityInput>;

function checkLength(what: string, actual: number, expected: number): void {
  if (actual !== expected) throw new DarError('ARG_INVALID', `batch ${what}: expected ${expected} values, got ${actual}`);
}

/**
 * Uploads a batch as tensors (caller disposes, e.g. with disposeInputs or tf.tidy). When a
 * modality's complete and corrupted arrays are the same object, one tensor serves both.
 */
export function toModelInputs(batch: ModelBatch, config: DarConfig): ModelInputs {
  const out = {} as ModelInputs;
  for (const m of MODALITY_ORDER) {
    const mod = batch.modalities[m];
    const b = batch.size;
    if (mod.d !== config.inputDims[m]) {
      throw new DarError('ARG_INVALID', `batch ${m}: expected feature dim ${config.inputDims[m]}, got ${shapeStr([b, mod.t, mod.d])}`);
    }
    checkLength(`${m}.complete`, mod.complete.length, b * mod.t * mod.d);
    checkLength(`${m}.corrupted`, mod.corrupted.length, b * mod.t * mod.d);
    checkLength(`${m}.lengths`, mod.lengths.length, b);
    const complete = tf.tensor3d(mod.complete, [b, mod.t, mod.d]);
    const corrupted = mod.corrupted === mod.complete ? complete : tf.tensor3d(mod.corrupted, [b, mod.t, mod.d]);
    const pool = tf.tensor3d(poolingMatrix(mod.lengths, config.t, mod.t), [b, config.t, mod.t]);
    out[m] = { complete, corrupted, pool };
  }
  return out;
}

/** Disposes what toModelInputs created. */
export function disposeInputs(inputs: ModelInputs): void {
  for (const m of MODALITY_ORDER) {
    const { complete, corrupted, pool } = inputs[m];
    tf.dispose([complete, corrupted, pool]);
  }
}
