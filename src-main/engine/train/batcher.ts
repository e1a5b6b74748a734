/**
 * Turns clips of a (normalised) split plus their corruption masks into a ModelBatch of typed
 * arrays. Each modality is trimmed to the longest valid length in the batch: on unaligned data
 * most of the padded length is padding, so this saves most of the model's work.
 */
import type { Modality, SplitData } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';
import { DarError } from '../errors';
import type { BatchModality, ModelBatch } from '../model/batch';
import type { Rng } from '../rng';


/** One mask per clip of the split and modality ([T_m], 1 = masked), as corruption.ts makes them. */
export type BatchMasks = Record<Modality, readonly Uint8Array[]>;

function clipLength(split: SplitData, m: Modality, clip: number): number {
  const len = split.lengths[m][clip];
  if (!(Number.isInteger(len) && len >= 0 && len <= split[m].t)) {
    throw new DarError('DATASET_SHAPE', `${m} length of clip ${clip}: expected 0..${split[m].t}, got ${len}`);
  }
  return len;
}

function buildModality(split: SplitData, m: Modality, indices: Int32Array, masks: readonly Uint8Array[] | undefined): BatchModality {
  const { data, t: tFull, d } = split[m];
  const size = indices.length;
  const lengths = new Int32Array(size);
  let t = 1; // never 0: a [B, 0, d] input has no frame to pool or attend to
  for (let b = 0; b < size; b++) {
    lengths[b] = clipLength(split, m, indices[b]);
    if (lengths[b] > t) t = lengths[b];
  }
  const complete = new Float32Array(size * t * d);
  const corrupted = new Float32Array(size * t * d);
  const batchMasks = new Uint8Array(size * t);
  for (let b = 0; b < size; b++) {
    const clip = indices[b];
    const len = lengths[b];
    const src = clip * tFull * d;
    const dst = b * t * d;
    // Only valid frames are copied: padding is 0 whatever the source holds there.
    const frames = data.subarray(src, src + len * d);
    complete.set(frames, dst);
    corrupted.set(frames, dst);
    const mask = masks?.[clip];
    if (!mask) continue;
    if (mask.length !== tFull) throw new DarError('DATASET_SHAPE', `${m} mask of clip ${clip}: expected length ${tFull}, got ${mask.length}`);
    for (let j = 0; j < len; j++) {
      if (mask[j] === 0) continue;
      batchMasks[b * t + j] = 1;
      corrupted.fill(0, dst + j * d, dst + (j + 1) * d);
    }
  }
  return { complete, corrupted, t, d, lengths, masks: batchMasks };
}

/**
 * The batch of clips `indices` of `split` (whose a and v are already normalised), corrupted by
 * `masks` (one per clip of the whole split; omitted = nothing masked). Masked frames are zeroed
 * only in `corrupted`; positions past a clip's length are 0 in both and never masked.
 */
export function buildBatch(split: SplitData, indices: ArrayLike<number>, masks?: BatchMasks): ModelBatch {
  const idx = Int32Array.from(indices);
  const labels = new Float32Array(idx.length);
  for (let b = 0; b < idx.length; b++) {
    const clip = idx[b];
    if (!(clip >= 0 && clip < split.n)) throw new DarError('ARG_INVALID', `batch index ${clip}: expected 0..${split.n - 1}`);
    labels[b] = split.labels[clip];
  }
  for (const m of MODALITIES) {
    if (masks && masks[m].length !== split.n) {
      throw new DarError('DATASET_SHAPE', `${m} masks: expected ${split.n} (one per clip), got ${masks[m].length}`);
    }
  }
  const modalities = {
    l: buildModality(split, 'l', idx, masks?.l),
    a: buildModality(split, 'a', idx, masks?.a),
    v: buildModality(split, 'v', idx, masks?.v),
  };
  return { size: idx.length, modalities, labels, indices: idx };
}

/** A random order of 0..n-1 for one epoch (Fisher–Yates via the seeded generator). */
export function epochOrder(n: number, rng: Rng): Int32Array {
  const order = Array.from({ length: n }, (_, i) => i);
  rng.shuffle(order);
  return Int32Array.from(order);
}

/** Consecutive batches of an order (views, no copies); the last partial batch is kept. */
export function batches(order: Int32Array, batchSize: number): Int32Array[] {
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new DarError('ARG_INVALID', `batch size: expected an integer >= 1, got ${batchSize}`);
  const out: Int32Array[] = [];
  for (let start = 0; start < order.length; start += batchSize) out.push(order.subarray(start, start + batchSize));
  return out;
}
