/**
 * The workbench's masks: hand-made time segments (or whole modalities) to frame masks through
 * the corruption operator's rules, and the operator's random masks back to time segments.
 */
import type { ModalityMask } from '#contract/api';
import type { Modality, PerModality, SplitData, SplitName } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';
import { drawUniforms, finaliseClipMask, validLength } from '../../engine/data/corruption';
import { clipFrameMasks } from '../../engine/data/frame-mask';
import { createRng } from '../../engine/rng';
import { ownSpans, uniformSpans } from './clip-detail';

const SPLIT_STREAM: Record<SplitName, number> = { train: 0, valid: 1, test: 2 };
/** Stream tag of the studio's random masks, apart from training and evaluation draws. */
const STUDIO_MASK_STREAM = 7;

/**
 * Frame masks [T_m] (1 = masked) of clip i for the workbench's masks: segments through
 * clipFrameMasks; a whole modality masks every valid frame, still under the operator's rules
 * (text [CLS]/[SEP] kept, padding never masked).
 */
export function workbenchFrameMasks(split: SplitData, i: number, masks: Partial<PerModality<ModalityMask>>, duration: number): PerModality<Uint8Array> {
  const segments: Partial<PerModality<ModalityMask['segments']>> = {};
  for (const m of MODALITIES) if (!masks[m]?.whole) segments[m] = masks[m]?.segments ?? [];
  const out = clipFrameMasks(split, i, segments, duration);
  for (const m of MODALITIES) {
    if (!masks[m]?.whole) continue;
    const len = validLength(split, m, i);
    out[m].fill(1, 0, len);
    finaliseClipMask(out[m], len, m, split.sourceMissing?.[m]?.[i]);
  }
  return out;
}

/**
 * The corruption operator at rate r on clip i alone: position j of modality m is masked iff
 * U_j < r for uniforms from createRng(seed, split, clip, stream, m), then the fixed rules.
 */
export function randomFrameMasks(split: SplitData, splitName: SplitName, i: number, rate: number, seed: number): PerModality<Uint8Array> {
  const out = {} as PerModality<Uint8Array>;
  MODALITIES.forEach((m, mi) => {
    const len = validLength(split, m, i);
    const u = drawUniforms(createRng(seed, SPLIT_STREAM[splitName], i, STUDIO_MASK_STREAM, mi), 1, split[m].t);
    const mask = Uint8Array.from(u, (x) => (x < rate ? 1 : 0));
    out[m] = finaliseClipMask(mask, len, m, split.sourceMissing?.[m]?.[i]);
  });
  return out;
}

/** One time segment per run of consecutive masked frames, from the first frame's start to the last's end. */
export function maskToSegments(mask: Uint8Array, count: number, spans: ArrayLike<number>): ModalityMask['segments'] {
  const segments: ModalityMask['segments'] = [];
  let j = 0;
  while (j < count) {
    if (!mask[j]) {
      j++;
      continue;
    }
    const first = j;
    while (j + 1 < count && mask[j + 1]) j++;
    segments.push({ start: spans[2 * first], end: spans[2 * j + 1] });
    j++;
  }
  return segments;
}

/** The operator's random mask of clip i at rate r as workbench segments (never whole). */
export function randomWorkbenchMask(split: SplitData, splitName: SplitName, i: number, rate: number, seed: number, duration: number): PerModality<ModalityMask> {
  const frames = randomFrameMasks(split, splitName, i, rate, seed);
  const out = {} as PerModality<ModalityMask>;
  for (const m of MODALITIES as readonly Modality[]) {
    const count = split.lengths[m][i];
    out[m] = { segments: maskToSegments(frames[m], count, ownSpans(split, m, i) ?? uniformSpans(count, duration)), whole: false };
  }
  return out;
}
