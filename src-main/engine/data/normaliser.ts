/**
 * Per-dimension feature normalisation of the acoustic and visual features (spec "Training
 * protocol"): statistics over the valid train frames, applied to every split and clip.
 */
import type { SeqTensor, SplitData } from '#contract/dataset';
import { DarError } from '../errors';

/** Mean and population std per feature dimension. */
export interface FeatureStats {
  mean: number[];
  std: number[];
}

/** The fitted normaliser; plain JSON, stored as-is in checkpoint metadata. */
export interface Normaliser {
  a: FeatureStats;
  v: FeatureStats;
}

/** Modalities that get normalised; text (frozen BERT states) is left as it is. */
export const NORMALISED_MODALITIES = ['a', 'v'] as const;

type NormModality = (typeof NORMALISED_MODALITIES)[number];

/** A std below this is a constant dimension; it is divided by 1 instead. */
export const MIN_STD = 1e-6;

/** Valid length of clip i, checked against the padded length. */
function validLength(split: SplitData, m: NormModality, i: number): number {
  const len = split.lengths[m][i];
  const t = split[m].t;
  if (!(len >= 0 && len <= t)) {
    throw new DarError('DATASET_SHAPE', `${m} length of clip ${i}: expected 0..${t}, got ${len}`);
  }
  return len;
}

/** Calls f(offset) for every valid frame of every clip not flagged in `sourceMissing`. */
function forEachCountedFrame(split: SplitData, m: NormModality, f: (offset: number) => void): void {
  const { t, d } = split[m];
  const missing = split.sourceMissing?.[m];
  for (let i = 0; i < split.n; i++) {
    const len = validLength(split, m, i);
    const flags = missing?.[i];
    for (let j = 0; j < len; j++) {
      if (flags && flags[j]) continue;
      f((i * t + j) * d);
    }
  }
}

/**
 * Mean and population std of one modality over its counted frames (two passes in float64 for
 * accuracy). With no counted frame at all the statistics are the identity (mean 0, std 1).
 */
function fitStats(split: SplitData, m: NormModality): FeatureStats {
  const { data, d } = split[m];
  const sum = new Float64Array(d);
  let count = 0;
  forEachCountedFrame(split, m, (o) => {
    count++;
    for (let k = 0; k < d; k++) sum[k] += data[o + k];
  });
  const mean = Array.from(sum, (s) => (count > 0 ? s / count : 0));
  const sq = new Float64Array(d);
  forEachCountedFrame(split, m, (o) => {
    for (let k = 0; k < d; k++) {
      const dev = data[o + k] - mean[k];
      sq[k] += dev * dev;
    }
  });
  const std = Array.from(sq, (s) => {
    const sd = count > 0 ? Math.sqrt(s / count) : 1;
    return sd < MIN_STD ? 1 : sd;
  });
  return { mean, std };
}

/** Fits the normaliser on the train split: valid frames only, source-missing frames left out. */
export function fitNormaliser(train: SplitData): Normaliser {
  return { a: fitStats(train, 'a'), v: fitStats(train, 'v') };
}

/** A normalised copy of one modality's tensor: (x - mean) / std on valid frames, 0 on padding. */
function normaliseTensor(split: SplitData, m: NormModality, stats: FeatureStats): SeqTensor {
  const src = split[m];
  const { n, t, d } = src;
  if (stats.mean.length !== d) {
    throw new DarError('DATASET_SHAPE', `normaliser ${m}: expected ${d} dimensions (as the data), got ${stats.mean.length}`);
  }
  const out = new Float32Array(src.data.length);
  for (let i = 0; i < n; i++) {
    const len = validLength(split, m, i);
    for (let j = 0; j < len; j++) {
      const o = (i * t + j) * d;
      for (let k = 0; k < d; k++) out[o + k] = (src.data[o + k] - stats.mean[k]) / stats.std[k];
    }
  }
  return { data: out, n, t, d };
}

/**
 * Returns a new SplitData whose `a` and `v` are fresh normalised tensors (padding set to 0);
 * every other field, including the text tensor `l`, is shared with the input, which is never
 * mutated.
 */
export function applyNormaliser(split: SplitData, norm: Normaliser): SplitData {
  return { ...split, a: normaliseTensor(split, 'a', norm.a), v: normaliseTensor(split, 'v', norm.v) };
}

function bad(message: string): never {
  throw new DarError('CHECKPOINT_MALFORMED', `normaliser: ${message}`);
}

function parseNumbers(value: unknown, where: string, positive: boolean): number[] {
  if (!Array.isArray(value)) bad(`${where}: expected an array of numbers, got ${typeof value}`);
  value.forEach((x, k) => {
    const ok = typeof x === 'number' && Number.isFinite(x) && (!positive || x > 0);
    if (!ok) bad(`${where}[${k}]: expected a finite${positive ? ' positive' : ''} number, got ${JSON.stringify(x)}`);
  });
  return [...(value as number[])];
}

function parseStats(value: unknown, m: NormModality): FeatureStats {
  if (typeof value !== 'object' || value === null) bad(`${m}: expected { mean, std }, got ${JSON.stringify(value)}`);
  const rec = value as Record<string, unknown>;
  const mean = parseNumbers(rec.mean, `${m}.mean`, false);
  const std = parseNumbers(rec.std, `${m}.std`, true);
  if (mean.length !== std.length) bad(`${m}: mean has ${mean.length} dimensions, std ${std.length}`);
  return { mean, std };
}

/** Validates a normaliser read back from checkpoint metadata (a JSON string or parsed value). */
export function parseNormaliser(json: unknown): Normaliser {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json) as unknown;
    } catch (err) {
      bad(`not valid JSON (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    bad(`expected an object { a, v }, got ${JSON.stringify(value)}`);
  }
  const rec = value as Record<string, unknown>;
  return { a: parseStats(rec.a, 'a'), v: parseStats(rec.v, 'v') };
}
