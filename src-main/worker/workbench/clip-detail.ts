/**
 * What the workbench draws of one clip, apart from the model: its tokens, where each frame sits
 * in time and how strong each frame is. Pure functions of a split and a clip index.
 */
import type { Modality, PerModality, SplitData } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';
import type { FeatureStats, Normaliser } from '../../engine/data/normaliser';


/** Acoustic frames per second assumed when a clip has no timing (MMSA's COVAREP rate). */
export const FALLBACK_AUDIO_FPS = 25;

/** Per-modality frames of one clip as the workbench tracks draw them. */
export type ClipFrames = PerModality<{ count: number; spans: Float32Array; intensity: Float32Array }>;

/** Clip duration in seconds: from its timing, else 1 s per 25 acoustic frames (1 s if it has none). */
export function clipDuration(split: SplitData, i: number): number {
  const known = split.timing?.[i]?.duration;
  if (known !== undefined && Number.isFinite(known) && known > 0) return known;
  const frames = split.lengths.a[i];
  return frames > 0 ? frames / FALLBACK_AUDIO_FPS : 1;
}

/**
 * Token strings of the language frames: [CLS], the transcript's words, [SEP] when their count
 * matches the valid text length; otherwise generic labels (word pieces cannot be recovered).
 */
export function clipTokens(text: string, count: number): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  if (count >= 2 && words.length + 2 === count) return ['[CLS]', ...words, '[SEP]'];
  return Array.from({ length: count }, (_, j) => (j === 0 ? '[CLS]' : j === count - 1 && count > 1 ? '[SEP]' : `#${j}`));
}

/** The clip's own frame spans of a modality (first 2 * count values), or null when it has none. */
export function ownSpans(split: SplitData, m: Modality, i: number): Float32Array | null {
  const count = split.lengths[m][i];
  const own = split.timing?.[i]?.spans[m];
  return own && own.length >= 2 * count ? own.subarray(0, 2 * count) : null;
}

/**
 * Frames spread uniformly over the duration, frame j at [j D / n, (j + 1) D / n], in float64 as
 * frame-mask.ts computes them (so segments made from these mask exactly the same frames again).
 */
export function uniformSpans(count: number, duration: number): Float64Array {
  const spans = new Float64Array(2 * count);
  for (let j = 0; j < count; j++) {
    spans[2 * j] = (j * duration) / count;
    spans[2 * j + 1] = ((j + 1) * duration) / count;
  }
  return spans;
}

/** Frame spans [start, end] * count in seconds: the clip's own, or spread uniformly over the duration. */
export function frameSpans(split: SplitData, m: Modality, i: number, duration: number): Float32Array {
  return ownSpans(split, m, i)?.slice() ?? Float32Array.from(uniformSpans(split.lengths[m][i], duration));
}

/**
 * Per-frame intensity in [0, 1]: the L2 norm of each valid frame's normalised features (text is
 * used as it is, like the model does), divided by the clip's largest.
 */
export function frameIntensity(split: SplitData, m: Modality, i: number, stats: FeatureStats | null): Float32Array {
  const { data, t, d } = split[m];
  const count = split.lengths[m][i];
  const out = new Float32Array(count);
  let max = 0;
  for (let j = 0; j < count; j++) {
    const o = (i * t + j) * d;
    let s = 0;
    for (let k = 0; k < d; k++) {
      const x = stats ? (data[o + k] - stats.mean[k]) / stats.std[k] : data[o + k];
      s += x * x;
    }
    out[j] = Math.sqrt(s);
    if (out[j] > max) max = out[j];
  }
  if (max > 0) for (let j = 0; j < count; j++) out[j] /= max;
  return out;
}

/** Every modality's frame count, spans and intensity for clip i. */
export function clipFrames(split: SplitData, i: number, duration: number, normaliser: Normaliser): ClipFrames {
  const frames = {} as ClipFrames;
  for (const m of MODALITIES) {
    const stats = m === 'l' ? null : normaliser[m];
    frames[m] = { count: split.lengths[m][i], spans: frameSpans(split, m, i, duration), intensity: frameIntensity(split, m, i, stats) };
  }
  return frames;
}
