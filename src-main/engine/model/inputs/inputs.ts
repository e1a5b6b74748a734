/** The model's tensor inputs and their upload from a typed-array ModelBatch. */
import * as tf from '@tensorflow/tfjs-core';
import type { Modality, PerModality } from '#contract/dataset';
import type { DarConfig } from '#contract/model';
import { DarError, shapeStr } from '../../errors';
import type { BatchModality, ModelBatch } from '../batch';
import { narrowLayout, wideLayout } from './layout';
import type { PoolSegments } from './segments';

/** Modalities in the spec's fixed order. */
export const MODALITY_ORDER: readonly Modality[] = ['l', 'a', 'v'];

interface InputBase {
  /** Clips in the batch. */
  size: number;
  /** 2 = corrupted and complete branch (corrupted first), 1 = one branch (corrupted is complete). */
  branches: 1 | 2;
}

/** Relative-time pooling of the conv rows (both branches) into bins, as segment lists (segments.ts). */
export interface SegmentTensors {
  fwdIdx: tf.Tensor1D;
  fwdSeg: tf.Tensor1D;
  padFwd: boolean;
  bwdIdx: tf.Tensor1D;
  bwdSeg: tf.Tensor1D;
  padBwd: boolean;
  /** [branches * size * t, 1] */
  invCount: tf.Tensor2D;
}

/** Wide features (d_m > d): frame rows, conv as three matMuls over row-shifted copies. */
export interface WideInput extends InputBase {
  kind: 'wide';
  rowsPerClip: number;
  /** Complete frames shifted for taps 0, 1, 2, each [N, d_m], N = size * rowsPerClip. */
  taps: [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  /** Per tap, [N, 1] row masks of the corrupted branch (masked rows 0); null with one branch. */
  keep: [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D] | null;
  segments: SegmentTensors;
}

/** Narrow features (d_m <= d): im2col rows of the valid frames. */
export interface NarrowInput extends InputBase {
  kind: 'narrow';
  /** [F, 3 d_m]: the complete frames, then the corrupted frames that differ (layout.ts). */
  cols: tf.Tensor2D;
  segments: SegmentTensors;
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
  return {
    kind: 'wide',
    size,
    branches,
    rowsPerClip: lay.rowsPerClip,
    taps: [0, 1, 2].map((k) => tf.tensor2d(lay.padded.subarray(k * d, (k + n) * d), [n, d])) as WideInput['taps'],
    keep: lay.keep ? (lay.keep.map((k) => tf.tensor2d(k, [n, 1])) as WideInput['keep']) : null,
    segments: uploadSegments(lay.segments),
  };
}

function uploadSegments(seg: PoolSegments): SegmentTensors {
  return {
    fwdIdx: tf.tensor1d(seg.fwdIdx, 'int32'),
    fwdSeg: tf.tensor1d(seg.fwdSeg, 'int32'),
    padFwd: seg.padFwd,
    bwdIdx: tf.tensor1d(seg.bwdIdx, 'int32'),
    bwdSeg: tf.tensor1d(seg.bwdSeg, 'int32'),
    padBwd: seg.padBwd,
    invCount: tf.tensor2d(seg.invCount, [seg.invCount.length, 1]),
  };
}

function uploadNarrow(mod: BatchModality, config: DarConfig, branches: 1 | 2, m: Modality): NarrowInput {
  const lay = narrowLayout(mod, config.t, branches, m);
  const width = 3 * mod.d;
  return {
    kind: 'narrow',
    size: mod.lengths.length,
    branches,
    cols: tf.tensor2d(lay.cols, [lay.rows, width]),
    segments: uploadSegments(lay.segments),
  };
}

/** Uploads one modality of a batch of `size` clips (dispose with disposeModalityInput); see toModelInputs. */
export function toModalityInput(mod: BatchModality, m: Modality, size: number, config: DarConfig): ModalityInput {
  checkModality(mod, m, size, config);
  const branches = mod.corrupted === mod.complete ? 1 : 2;
  return mod.d > config.d ? uploadWide(mod, config, branches, m) : uploadNarrow(mod, config, branches, m);
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
      out[m] = toModalityInput(mod, m, batch.size, config);
    }
  } catch (err) {
    disposeInputs(out);
    throw err;
  }
  return out;
}

/** Every tensor of one modality's input. */
function tensorsOf(input: ModalityInput): tf.Tensor[] {
  const s = input.segments;
  const own = input.kind === 'narrow' ? [input.cols] : [...input.taps, ...(input.keep ?? [])];
  return [...own, s.fwdIdx, s.fwdSeg, s.bwdIdx, s.bwdSeg, s.invCount];
}

/** Disposes what toModalityInput created. */
export function disposeModalityInput(input: ModalityInput): void {
  tf.dispose(tensorsOf(input));
}

/** Disposes what toModelInputs created. */
export function disposeInputs(inputs: Partial<ModelInputs>): void {
  for (const m of MODALITY_ORDER) {
    const input = inputs[m];
    if (input) tf.dispose(tensorsOf(input));
  }
}
