/**
 * The corruption operator (spec "Missing data"): per sample and modality with rate r, each valid
 * position is masked iff U < r with U ~ U[0, 1) (kept iff U >= r). Padding is never masked,
 * text [CLS] (0) and [SEP] (len_l - 1) are always kept, frames the source reports missing are
 * always masked. A mask is a Uint8Array [T_m] per clip, 1 = masked.
 *
 * Draws: a modality's uniforms form a row-major [N, T_m] matrix of `rng.next()` (clip, then
 * every position including padding, so the layout does not depend on the lengths), each
 * modality from its own stream. Training: rates from createRng(seed, epoch, TRAIN_MASK_STREAM),
 * uniforms of modality index mi (l 0, a 1, v 2) from createRng(seed, epoch, TRAIN_MASK_STREAM, mi).
 * Evaluation: the uniforms of split s (train 0, valid 1, test 2) and modality mi come from
 * createRng(EVAL_SEED, s, mi), drawn once and thresholded at every rate, so masks are nested.
 */
import type { Modality, PerModality, SeqTensor, SplitData, SplitName } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';
import { DarError } from '../errors';
import { createRng } from '../rng';
import type { Rng } from '../rng';

/** Modalities in their fixed order l, a, v. */

/** One mask per clip and modality: Uint8Array [T_m], 1 = masked, padding 0. */
export type SplitMasks = PerModality<Uint8Array[]>;

/** How training draws each sample's rate from k (spec "Missing data"). */
export type CorruptionMode = 'fixed' | 'uniform' | 'lnln';

/** Training corruption: per-modality rates k in [0, 1] and how rates are drawn from them. */
export interface TrainingCorruption {
  k: PerModality<number>;
  mode: CorruptionMode;
}

/** Stream id (after seed and epoch) of the training masks; other per-epoch draws use others. */
export const TRAIN_MASK_STREAM = 1;

/** Checks that a clip's valid length fits its padded length. */
export function validLength(split: SplitData, m: Modality, i: number): number {
  const len = split.lengths[m][i];
  const t = split[m].t;
  if (!(Number.isInteger(len) && len >= 0 && len <= t)) {
    throw new DarError('DATASET_SHAPE', `${m} length of clip ${i}: expected 0..${t}, got ${len}`);
  }
  return len;
}

/**
 * Enforces the operator's fixed rules on a clip mask in place: padding 0, source-missing
 * frames 1, text [CLS] and [SEP] 0 (they win over everything else).
 */
export function finaliseClipMask(mask: Uint8Array, len: number, m: Modality, sourceMissing?: Uint8Array): Uint8Array {
  mask.fill(0, len);
  if (sourceMissing) {
    const end = Math.min(len, sourceMissing.length);
    for (let j = 0; j < end; j++) if (sourceMissing[j]) mask[j] = 1;
  }
  if (m === 'l' && len > 0) {
    mask[0] = 0;
    mask[len - 1] = 0;
  }
  return mask;
}

/** A row-major [n, t] matrix of uniforms in [0, 1). */
export function drawUniforms(rng: Rng, n: number, t: number): Float64Array {
  const u = new Float64Array(n * t);
  for (let i = 0; i < u.length; i++) u[i] = rng.next();
  return u;
}

/**
 * Thresholds one modality's uniforms [N, T_m] at per-clip rates: position j of clip i is masked
 * iff U[i, j] < rate[i]; then the fixed rules apply. The uniforms come from a matrix, or are
 * drawn from `rng` in the same row-major order without storing them. The masks are views into
 * one buffer.
 */
export function thresholdModality(split: SplitData, m: Modality, u: Float64Array | Rng, rates: ArrayLike<number>): Uint8Array[] {
  const { n, t } = split[m];
  const uniform = u instanceof Float64Array ? (k: number) => u[k] : () => u.next();
  if (u instanceof Float64Array && u.length !== n * t) {
    throw new DarError('DATASET_SHAPE', `${m} uniforms: expected ${n * t} values ([${n},${t}]), got ${u.length}`);
  }
  if (rates.length !== n) throw new DarError('ARG_INVALID', `${m} rates: expected ${n} (one per clip), got ${rates.length}`);
  const buffer = new Uint8Array(n * t);
  const missing = split.sourceMissing?.[m];
  const masks: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const len = validLength(split, m, i);
    const mask = buffer.subarray(i * t, (i + 1) * t);
    const r = rates[i];
    for (let j = 0; j < t; j++) mask[j] = uniform(i * t + j) < r ? 1 : 0;
    masks.push(finaliseClipMask(mask, len, m, missing?.[i]));
  }
  return masks;
}

function checkRate(k: number, what: string): void {
  if (!(k >= 0 && k <= 1)) throw new DarError('ARG_INVALID', `${what}: expected a rate in [0, 1], got ${k}`);
}

/**
 * Per-sample rates for one epoch, drawn from `rng` in this order: for lnln, a random
 * floor(n/2)-sample subset (a shuffle) that is complete in every modality (the spec: "a random
 * half of the samples complete"; LNLN's code picks the subset per modality, we follow the spec);
 * then per modality l, a, v and per clip one draw (uniform: k * U, lnln: U; fixed draws nothing).
 */
export function trainingRates(n: number, config: TrainingCorruption, rng: Rng): PerModality<Float64Array> {
  if (!['fixed', 'uniform', 'lnln'].includes(config.mode)) {
    throw new DarError('ARG_INVALID', `corruption mode: expected fixed, uniform or lnln, got "${config.mode}"`);
  }
  for (const m of MODALITIES) checkRate(config.k[m], `k_${m}`);
  const complete = new Uint8Array(n);
  if (config.mode === 'lnln') {
    const order = Array.from({ length: n }, (_, i) => i);
    rng.shuffle(order);
    for (let q = 0; q < Math.floor(n / 2); q++) complete[order[q]] = 1;
  }
  const rates = {} as PerModality<Float64Array>;
  for (const m of MODALITIES) {
    const r = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (config.mode === 'fixed') r[i] = config.k[m];
      else if (config.mode === 'uniform') r[i] = config.k[m] * rng.next();
      else r[i] = rng.next();
      if (complete[i]) r[i] = 0;
    }
    rates[m] = r;
  }
  return rates;
}

/** The training masks of a split for one epoch, reproducible from (seed, epoch). */
export function trainingMasks(split: SplitData, config: TrainingCorruption, seed: number, epoch: number): SplitMasks {
  const rates = trainingRates(split.n, config, createRng(seed, epoch, TRAIN_MASK_STREAM));
  const masks = {} as SplitMasks;
  MODALITIES.forEach((m, mi) => {
    masks[m] = thresholdModality(split, m, createRng(seed, epoch, TRAIN_MASK_STREAM, mi), rates[m]);
  });
  return masks;
}

/**
 * A copy of a [n, t, d] feature tensor with the masked frames of row i (masks[i], length t)
 * set to 0; the input is never mutated.
 */
export function applyMasks(tensor: SeqTensor, masks: readonly Uint8Array[]): SeqTensor {
  const { n, t, d } = tensor;
  if (masks.length !== n) throw new DarError('DATASET_SHAPE', `masks: expected ${n} (one per row), got ${masks.length}`);
  const data = tensor.data.slice();
  for (let i = 0; i < n; i++) {
    const mask = masks[i];
    if (mask.length !== t) throw new DarError('DATASET_SHAPE', `mask of row ${i}: expected length ${t}, got ${mask.length}`);
    for (let j = 0; j < t; j++) if (mask[j]) data.fill(0, (i * t + j) * d, (i * t + j + 1) * d);
  }
  return { data, n, t, d };
}

/** Number of masked positions and of valid positions of one modality, e.g. for a realised rate. */
export function maskedCount(split: SplitData, m: Modality, masks: readonly Uint8Array[]): { masked: number; valid: number } {
  let masked = 0;
  let valid = 0;
  for (let i = 0; i < split.n; i++) {
    const len = validLength(split, m, i);
    valid += len;
    for (let j = 0; j < len; j++) masked += masks[i][j];
  }
  return { masked, valid };
}

/** The fixed evaluation seed: every model is scored on the same corrupted inputs. */
export const EVAL_SEED = 1111;

/** Evaluation rates 0.0, 0.1, ..., 0.9 (exact decimal literals). */
export const EVAL_RATES: readonly number[] = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/** Rate at which the validation split is corrupted (once) for model selection. */
export const VALID_RATE = 0.5;

/** One evaluation setting: the same rate for all modalities, or one modality removed entirely. */
export type EvalCondition = { kind: 'rate'; rate: number } | { kind: 'remove'; modality: Modality };

/** The report's conditions: every rate in EVAL_RATES, then l, a, v each removed. */
export const EVAL_CONDITIONS: readonly EvalCondition[] = [
  ...EVAL_RATES.map((rate): EvalCondition => ({ kind: 'rate', rate })),
  ...MODALITIES.map((modality): EvalCondition => ({ kind: 'remove', modality })),
];

/** Per-modality rates of a condition (removal: 1 for that modality, 0 for the others). */
export function conditionRates(c: EvalCondition): PerModality<number> {
  if (c.kind === 'rate') return { l: c.rate, a: c.rate, v: c.rate };
  return { l: 0, a: 0, v: 0, [c.modality]: 1 };
}

/** A short stable name for a condition, e.g. "r0.3" or "no-a". */
export function conditionName(c: EvalCondition): string {
  return c.kind === 'rate' ? `r${c.rate}` : `no-${c.modality}`;
}

const SPLIT_STREAM: Record<SplitName, number> = { train: 0, valid: 1, test: 2 };

/**
 * The evaluation uniforms of a split: one [N, T_m] matrix per modality from createRng(seed,
 * split index, modality index); `seed` is EVAL_SEED unless a sweep averages over mask draws.
 */
export function drawEvalUniforms(split: SplitData, splitName: SplitName, seed: number = EVAL_SEED): PerModality<Float64Array> {
  const u = {} as PerModality<Float64Array>;
  MODALITIES.forEach((m, mi) => {
    u[m] = drawUniforms(createRng(seed, SPLIT_STREAM[splitName], mi), split.n, split[m].t);
  });
  return u;
}

/** Evaluation masks at per-modality rates from uniforms drawn once by drawEvalUniforms. */
export function evalMasks(split: SplitData, uniforms: PerModality<Float64Array>, rates: PerModality<number>): SplitMasks {
  const masks = {} as SplitMasks;
  for (const m of MODALITIES) {
    checkRate(rates[m], `rate ${m}`);
    masks[m] = thresholdModality(split, m, uniforms[m], new Float64Array(split.n).fill(rates[m]));
  }
  return masks;
}

/** The validation masks used for model selection: the valid split's evaluation draw at VALID_RATE. */
export function validationMasks(valid: SplitData): SplitMasks {
  const r = VALID_RATE;
  return evalMasks(valid, drawEvalUniforms(valid, 'valid'), { l: r, a: r, v: r });
}
