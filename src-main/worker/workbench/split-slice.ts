/**
 * Contiguous clip ranges of a split as a SplitData of their own, sharing the parent's memory:
 * the studio normalises and runs only the clips it needs (a MOSEI split is gigabytes; a normalised
 * copy of all of it would double that).
 */
import type { PerModality, SeqTensor, SplitData } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';
import { DarError } from '../../engine/errors';


function sliceTensor(x: SeqTensor, start: number, end: number): SeqTensor {
  return { data: x.data.subarray(start * x.t * x.d, end * x.t * x.d), n: end - start, t: x.t, d: x.d };
}

function slicePer<T>(per: PerModality<T[]> | undefined, start: number, end: number): PerModality<T[]> | undefined {
  if (!per) return undefined;
  return { l: per.l.slice(start, end), a: per.a.slice(start, end), v: per.v.slice(start, end) };
}

/** Clips start..end-1 of a split (views of its typed arrays, no copies of the features). */
export function sliceSplit(split: SplitData, start: number, end: number): SplitData {
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= split.n)) {
    throw new DarError('ARG_INVALID', `clip range ${start}..${end}: expected 0 <= start <= end <= ${split.n}`);
  }
  const lengths = {} as PerModality<Int32Array>;
  for (const m of MODALITIES) lengths[m] = split.lengths[m].subarray(start, end);
  return {
    n: end - start,
    ids: split.ids.slice(start, end),
    labels: split.labels.subarray(start, end),
    rawText: split.rawText.slice(start, end),
    l: sliceTensor(split.l, start, end),
    a: sliceTensor(split.a, start, end),
    v: sliceTensor(split.v, start, end),
    lengths,
    timing: split.timing?.slice(start, end),
    videos: split.videos?.slice(start, end),
    sourceMissing: slicePer(split.sourceMissing, start, end),
  };
}
