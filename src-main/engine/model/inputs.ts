/** The model's tensor inputs and their upload from a typed-array ModelBatch. */
import * as tf from '@tensorflow/tfjs-core';
import type { Modality, PerModality } from '../../contract/dataset';
import type { DarConfig } from '../../contract/model';
import { DarError, shapeStr } from '../errors';
import type { BatchModality, ModelBatch } from './batch';
import { narrowLayout, wideLayout } from './inputs-layout';

/** Modalities in the spec's fixed order. */
export const MODALITY_ORDER: readonly Modality[] = ['l', 'a', 'v'];

interface InputBase {
  /** Clips in the batch. */
  size: number;
  /** 2 = corrupted and complete branch (corrupted first), 1 = one branch (corrupted is complete). */
  branches: 1 | 2;
}

/** Wide features (d_m > d): frame rows, conv as three matMuls over row-shifted copies. */
export interface WideInput extends InputBase {
  kind: 'wide';
  rowsPerClip: number;
  /** Complete frames shifted for taps 0, 1, 2, each [N, d_m], N = size * rowsPerClip. */
  taps: [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  /** The zero-padded frame rows transposed, [d_m, N + 2] (for the kernel's gradient). */
  paddedT: tf.Tensor2D;
  /** Per tap, [branches, N, 1] row masks: corrupted branch = complete with masked rows 0. */
  branchMask: [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D] | null;
  /** Relative-time pooling [branches * size, t, rowsPerClip]. */
  pool: tf.Tensor3D;
}

/** Narrow features (d_m <= d): im2col rows in pooling-slot order. */
export interface NarrowInput extends InputBase {
  kind: 'narrow';
  /** [slots * R, 3 d_m] with R = branches * size * t. */
  cols: tf.Tensor2D;
  /** [3 d_m, slots * R] */
  colsT: tf.Tensor2D;
  /** [slots, R, 1] averaging weights of the slots. */
  weights: tf.Tensor3D;
}

/** One modality of a batch as tensors, laid out for the alignment layer. */
export type ModalityInput = WideInput | NarrowInput;

/** The model's inputs, per modality. */
export type ModelInputs = PerModality<ModalityInput>;

function checkModality(mod: BatchModality, m: Modality, size: number, config: DarConfig): void {
  const expect = (what: string, actual: number, expected: number): void => {
    if (actual !== expected) throw new DarError('ARG_INVALID', `batch ${m}.${what}: expected ${expected} values, got ${actual}`);
  };
  if (mod.d !== config.inputDims[m]) {
    throw new DarError('ARG_INVALID', `batch ${m}: expected feature dim ${config.inputDims[m]}, got ${shapeStr([size, mod.t, mod.d])}`);
  }
  expect('complete', mod.complete.length, size * mod.t * mod.d);
  expect('corrupted', mod.corrupted.length, size * mod.t * mod.d);
  expect('lengths', mod.lengths.length, size);
  mod.lengths.forEach((len, b) => {
    if (!Number.isInteger(len) || len < 0 || len > mod.t) throw new DarError('ARG_INVALID', `batch ${m}.lengths[${b}]: expected 0..${mod.t}, got ${len}`);
  });
}

function uploadWide(mod: BatchModality, config: DarConfig, branches: 1 | 2, m: Modality): WideInput {
  const lay = wideLayout(mod, config.t, branches, m);
  const size = mod.lengths.length;
  const n = size * lay.rowsPerClip;
  const d = mod.d;
  const taps = [0, 1, 2].map((k) => tf.tensor2d(lay.padded.subarray(k * d, (k + n) * d), [n, d])) as WideInput['taps'];
  const branchMask = lay.keep
    ? (lay.keep.map((keep) => {
        const both = new Float32Array(2 * n).fill(1);
        both.set(keep);
        return tf.tensor3d(both, [2, n, 1]);
      }) as WideInput['branchMask'])
    : null;
  return {
    kind: 'wide',
    size,
    branches,
    rowsPerClip: lay.rowsPerClip,
    taps,
    paddedT: tf.tensor2d(lay.paddedT, [d, n + 2]),
    branchMask,
    pool: tf.tensor3d(lay.pool, [branches * size, config.t, lay.rowsPerClip]),
  };
}

function uploadNarrow(mod: BatchModality, config: DarConfig, branches: 1 | 2): NarrowInput {
  const lay = narrowLayout(mod, config.t, branches);
  const size = mod.lengths.length;
  const rows = branches * size * config.t;
  const total = lay.slots * rows;
  return {
    kind: 'narrow',
    size,
    branches,
    cols: tf.tensor2d(lay.cols, [total, 3 * mod.d]),
    colsT: tf.tensor2d(lay.colsT, [3 * mod.d, total]),
    weights: tf.tensor3d(lay.weights, [lay.slots, rows, 1]),
  };
}

/**
 * Uploads a batch as tensors (dispose with disposeInputs). `corrupted` must be `complete` with
 * masked frames zeroed; when both are the same array object only one branch is computed.
 */
export function toModelInputs(batch: ModelBatch, config: DarConfig): ModelInputs {
  const out = {} as ModelInputs;
  try {
    for (const m of MODALITY_ORDER) {
      const mod = batch.modalities[m];
      checkModality(mod, m, batch.size, config);
      const branches = mod.corrupted === mod.complete ? 1 : 2;
      out[m] = mod.d > config.d ? uploadWide(mod, config, branches, m) : uploadNarrow(mod, config, branches);
    }
  } catch (err) {
    disposeInputs(out);
    throw err;
  }
  return out;
}

/** Every tensor of one modality's input. */
function tensorsOf(input: ModalityInput): tf.Tensor[] {
  if (input.kind === 'narrow') return [input.cols, input.colsT, input.weights];
  return [...input.taps, input.paddedT, input.pool, ...(input.branchMask ?? [])];
}

/** Disposes what toModelInputs created. */
export function disposeInputs(inputs: Partial<ModelInputs>): void {
  for (const m of MODALITY_ORDER) {
    const input = inputs[m];
    if (input) tf.dispose(tensorsOf(input));
  }
}
