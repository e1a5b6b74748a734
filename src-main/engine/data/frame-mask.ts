/**
 * Hand-made masks from the studio: time segments in seconds per modality become frame masks
 * that go through the same corruption rules, plus which of the model's relative-time bins a
 * mask touches.
 */
import type { FrameSpans, PerModality, SplitData } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';
import { DarError } from '../errors';
import { finaliseClipMask, validLength } from './corruption';

/** A masked stretch of time in seconds; a frame is masked iff its span overlaps it (open overlap). */
export interface TimeSegment {
  start: number;
  end: number;
}

/** Where the frames of one clip's modality sit in time. */
export interface FrameTiming {
  /** Clip duration in seconds, used to spread frames uniformly when there are no spans. */
  duration: number;
  spans?: FrameSpans | null;
}

function checkSegments(segments: readonly TimeSegment[]): void {
  segments.forEach((s, q) => {
    if (!(Number.isFinite(s.start) && Number.isFinite(s.end) && s.start <= s.end)) {
      throw new DarError('ARG_INVALID', `mask segment ${q}: expected finite start <= end seconds, got ${s.start}..${s.end}`);
    }
  });
}

/**
 * The pure time -> frame maths: which of `len` valid frames overlap any segment. Frame i spans
 * [spans[2i], spans[2i+1]] when spans are given, otherwise [i*D/len, (i+1)*D/len] for duration D;
 * it is masked iff seg.start < frameEnd && seg.end > frameStart for some segment.
 */
export function framesInSegments(segments: readonly TimeSegment[], len: number, timing: FrameTiming): Uint8Array {
  checkSegments(segments);
  const { spans, duration } = timing;
  if (spans && spans.length < 2 * len) {
    throw new DarError('DATASET_SHAPE', `frame spans: expected ${2 * len} values for ${len} frames, got ${spans.length}`);
  }
  if (!spans && !(duration >= 0)) throw new DarError('ARG_INVALID', `clip duration: expected seconds >= 0, got ${duration}`);
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) {
    const start = spans ? spans[2 * i] : (i * duration) / len;
    const end = spans ? spans[2 * i + 1] : ((i + 1) * duration) / len;
    for (const s of segments) {
      if (s.start < end && s.end > start) {
        out[i] = 1;
        break;
      }
    }
  }
  return out;
}

/**
 * Frame masks [T_m] of clip i for hand-made segments per modality (a modality without segments
 * is unmasked apart from source-missing frames); the operator's rules apply (padding 0, text
 * [CLS]/[SEP] kept). `duration` stands in when the clip has no timing.
 */
export function clipFrameMasks(
  split: SplitData,
  i: number,
  segments: Partial<PerModality<readonly TimeSegment[]>>,
  duration?: number,
): PerModality<Uint8Array> {
  if (!(Number.isInteger(i) && i >= 0 && i < split.n)) throw new DarError('ARG_INVALID', `clip index: expected 0..${split.n - 1}, got ${i}`);
  const timing = split.timing?.[i];
  const masks = {} as PerModality<Uint8Array>;
  for (const m of MODALITIES) {
    const len = validLength(split, m, i);
    const mask = new Uint8Array(split[m].t);
    const segs = segments[m] ?? [];
    if (segs.length > 0) {
      const d = timing?.duration ?? duration;
      if (d === undefined && !timing?.spans[m]) {
        throw new DarError('ARG_INVALID', `clip ${split.ids[i]}: no timing known; a hand-made mask needs the clip duration`);
      }
      mask.set(framesInSegments(segs, len, { duration: d ?? 0, spans: timing?.spans[m] }));
    }
    masks[m] = finaliseClipMask(mask, len, m, split.sourceMissing?.[m]?.[i]);
  }
  return masks;
}

/**
 * Fraction of each of the model's t relative-time bins that a mask covers (valid frame i of L
 * goes to bin floor(i*t/L); an empty bin, possible when L < t, stands for frame floor(k*L/t)).
 */
export function maskedBinFractions(mask: ArrayLike<number>, len: number, t: number): Float64Array {
  const masked = new Float64Array(t);
  const count = new Float64Array(t);
  for (let i = 0; i < len; i++) {
    const b = Math.floor((i * t) / len);
    count[b]++;
    if (mask[i]) masked[b]++;
  }
  for (let k = 0; k < t; k++) {
    if (count[k] > 0) masked[k] /= count[k];
    else if (len > 0) masked[k] = mask[Math.floor((k * len) / t)] ? 1 : 0;
  }
  return masked;
}

/** Which of the t bins a mask touches (1 = at least one masked frame lands in it). */
export function touchedBins(mask: ArrayLike<number>, len: number, t: number): Uint8Array {
  return Uint8Array.from(maskedBinFractions(mask, len, t), (f) => (f > 0 ? 1 : 0));
}
