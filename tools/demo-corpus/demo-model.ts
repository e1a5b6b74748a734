/**
 * The latent model behind the synthetic demo corpus (see demo-corpus.ts for the whole story).
 *
 * Every clip has a shared sentiment factor `c` (what all three modalities express) and one
 * specific factor per modality (`l`, `a`, `v`: what only that modality expresses), all N(0, 1).
 * The "true" sentiment is `score = W.c c + W.l l + W.a a + W.v v`, with `W.c` carrying about
 * half of its variance; three simulated annotators each rate `score` plus noise on the
 * integer scale -3..3 and the label is their mean, so labels are thirds with many integers and
 * zeros, like CMU-MOSI's averaged ratings. Clips of one video share a part of `c` (a speaker's
 * overall mood) and a speaker offset in the acoustic and visual features.
 */
import type { PerModality } from '#contract/dataset';
import type { Rng } from '../../src-main/engine/rng';

/** Weight of each factor in the sentiment score; c explains 1.44 / 2.8 = 51 % of its variance. */
export const FACTOR_WEIGHTS = { c: 1.2, l: 0.8, a: 0.6, v: 0.6 } as const;

/** Feature dimensions, as CMU-MOSI's unaligned files (BERT 768, 5 acoustic, 20 visual). */
export const DEMO_DIMS: PerModality<number> = { l: 768, a: 5, v: 20 };

/** Padded sequence lengths, as CMU-MOSI's unaligned files. */
export const DEMO_SEQ_LEN: PerModality<number> = { l: 50, a: 375, v: 500 };

/** Frames per second of the acoustic and visual features; words come at about 2.5 per second. */
export const DEMO_RATES = { words: 2.5, a: 25, v: 30 } as const;

/** Share of `c` that a video's clips have in common (the speaker's mood), as a variance fraction. */
const MOOD_SHARE = 0.25;
/** Standard deviation of one annotator's rating around the true score. */
const ANNOTATOR_NOISE = 0.6;
const ANNOTATORS = 3;
/** Size of a speaker's constant offset in the acoustic and visual nuisance space. */
const SPEAKER_OFFSET = 0.6;

/** What all clips of one video (one synthetic speaker) share. */
export interface VideoTraits {
  /** The speaker's mood, N(0, 1); enters every clip's shared factor. */
  mood: number;
  /** Constant nuisance offsets of this speaker's acoustic and visual features. */
  speaker: { a: Float64Array; v: Float64Array };
  /** Index into the synthetic voices and looks. */
  persona: number;
}

/** The latent factors and derived scores of one clip. */
export interface ClipLatents {
  c: number;
  l: number;
  a: number;
  v: number;
  /** The true sentiment score W . (c, l, a, v). */
  score: number;
  /** What the words say: the part of the score the language can know (c and l). */
  textScore: number;
  /** The averaged annotator rating, the clip's label, in [-3, 3]. */
  label: number;
}

/** Nuisance dimensions per frame (acoustic: timbre, noise floor...; visual: head pose, light). */
export const NUISANCE_DIMS: PerModality<number> = { l: 4, a: 3, v: 3 };

function normals(rng: Rng, n: number, scale: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = scale * rng.normal();
  return out;
}

/** Draws one video's shared traits. */
export function drawVideoTraits(rng: Rng): VideoTraits {
  const mood = rng.normal();
  const a = normals(rng, NUISANCE_DIMS.a, SPEAKER_OFFSET);
  const v = normals(rng, NUISANCE_DIMS.v, SPEAKER_OFFSET);
  return { mood, speaker: { a, v }, persona: rng.int(1 << 16) };
}

/** Draws one clip's factors and rates it with the simulated annotators. */
export function drawClipLatents(rng: Rng, video: VideoTraits): ClipLatents {
  const c = Math.sqrt(MOOD_SHARE) * video.mood + Math.sqrt(1 - MOOD_SHARE) * rng.normal();
  const l = rng.normal();
  const a = rng.normal();
  const v = rng.normal();
  const W = FACTOR_WEIGHTS;
  const score = W.c * c + W.l * l + W.a * a + W.v * v;
  const textScore = W.c * c + W.l * l;
  return { c, l, a, v, score, textScore, label: annotate(rng, score) };
}

/** The mean of three annotators' integer ratings of `score` (each with its own noise). */
export function annotate(rng: Rng, score: number): number {
  let sum = 0;
  for (let k = 0; k < ANNOTATORS; k++) {
    const rating = Math.round(score + ANNOTATOR_NOISE * rng.normal());
    sum += Math.min(3, Math.max(-3, rating));
  }
  return sum / ANNOTATORS;
}

/** The acoustic "arousal" driver: louder, higher and faster speech; unit variance. */
export function acousticDriver(z: ClipLatents): number {
  return 0.6 * z.c + 0.8 * z.a;
}

/** The visual expression driver (the drawn face's smile); unit variance. */
export function visualDriver(z: ClipLatents): number {
  return Math.SQRT1_2 * (z.c + z.v);
}
