import type { ClipTiming, PerModality, SeqTensor, SplitData } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';
import { DarError } from '../../errors';
import type { LoadedClip } from './load';
import { MODALITY_KEYS } from '../feature-files/feature-file';

/** Values in one split's padded tensor of a modality: int32-indexable, as tfjs needs. */
const MAX_TENSOR_VALUES = 2 ** 31 - 1;

/** Checks that every clip has frames and the same feature dims as the first; returns the dims. */
export function checkDims(root: string, clips: readonly LoadedClip[]): PerModality<number> {
  const first = clips[0];
  const dims = { l: first.feats.l.d, a: first.feats.a.d, v: first.feats.v.d };
  for (const clip of clips) {
    for (const m of MODALITIES) {
      const f = clip.feats[m];
      const where = `${root}: clip ${clip.id} (${clip.sources[m]})`;
      if (f.t === 0) throw new DarError('DATASET_SHAPE', `${where}: ${MODALITY_KEYS[m]} features have no frames`);
      if (f.d !== dims[m]) {
        throw new DarError(
          'DATASET_SHAPE',
          `${where}: ${MODALITY_KEYS[m]} features have d=${f.d}, expected d=${dims[m]} (as clip ${first.id}, ${first.sources[m]})`,
        );
      }
    }
  }
  return dims;
}

/** Longest clip per modality. */
export function maxLengths(clips: readonly LoadedClip[]): PerModality<number> {
  const out = { l: 0, a: 0, v: 0 };
  for (const clip of clips) for (const m of MODALITIES) out[m] = Math.max(out[m], clip.feats[m].t);
  return out;
}

/** Counts of what assembling changed, summed over splits. */
export interface AssembleStats {
  truncated: PerModality<number>;
  nonfinite: PerModality<number>;
}

/**
 * Pads (with zeros) or truncates the clips of one split to `seqLen` and packs them into a
 * SplitData; counts truncations and non-finite values into `stats`.
 */
export function assembleSplit(
  clips: readonly LoadedClip[],
  seqLen: PerModality<number>,
  dims: PerModality<number>,
  stats: AssembleStats,
): SplitData {
  const n = clips.length;
  const tensors = {} as PerModality<SeqTensor>;
  const lengths = {} as PerModality<Int32Array>;
  const sourceMissing: PerModality<(Uint8Array | undefined)[]> = { l: [], a: [], v: [] };
  for (const m of MODALITIES) {
    const t = seqLen[m];
    const d = dims[m];
    // One outlier clip (or a big seqLen) times many clips can exceed what an array can hold.
    if (n * t * d > MAX_TENSOR_VALUES) {
      throw new DarError('DATASET_SHAPE', `${MODALITY_KEYS[m]}: ${n} clips x seqLen ${t} x d ${d} = ${n * t * d} values, more than one tensor can hold (${MAX_TENSOR_VALUES})`);
    }
    const tensor: SeqTensor = { data: new Float32Array(n * t * d), n, t, d };
    lengths[m] = new Int32Array(n);
    clips.forEach((clip, i) => {
      const f = clip.feats[m];
      const len = Math.min(f.t, t);
      if (f.t > t) stats.truncated[m]++;
      stats.nonfinite[m] += f.nonfinite;
      lengths[m][i] = len;
      tensor.data.set(f.data.subarray(0, len * d), i * t * d);
      const missing = f.missing?.subarray(0, len);
      sourceMissing[m].push(missing?.includes(1) ? missing.slice() : undefined);
    });
    tensors[m] = tensor;
  }
  return {
    n,
    ids: clips.map((c) => c.id),
    labels: Float32Array.from(clips.map((c) => c.row.label)),
    rawText: clips.map((c) => c.row.text),
    ...tensors,
    lengths,
    timing: clips.map((c, i) => clipTiming(c, lengths, i)),
    videos: new Array<string | undefined>(n).fill(undefined),
    sourceMissing,
  };
}

/** Duration from the .npz, else the latest span end; spans cut to the valid length. */
function clipTiming(clip: LoadedClip, lengths: PerModality<Int32Array>, i: number): ClipTiming | undefined {
  let duration = clip.duration;
  if (duration === undefined) {
    let end = 0;
    for (const m of MODALITIES) {
      const s = clip.feats[m].spans;
      for (let k = 1; s && k < s.length; k += 2) end = Math.max(end, s[k]);
    }
    if (end > 0) duration = end;
  }
  if (duration === undefined) return undefined;
  const spans = { l: null, a: null, v: null } as PerModality<Float32Array | null>;
  for (const m of MODALITIES) spans[m] = clip.feats[m].spans?.slice(0, 2 * lengths[m][i]) ?? null;
  return { duration, spans };
}

/** One line saying which clips were cut to seqLen, or undefined when none were. */
export function truncationWarning(truncated: PerModality<number>, seqLen: PerModality<number>): string | undefined {
  const total = truncated.l + truncated.a + truncated.v;
  if (total === 0) return undefined;
  const parts = MODALITIES.map((m) => `${MODALITY_KEYS[m]} ${truncated[m]} (seqLen ${seqLen[m]})`);
  return `${total} clip feature sequences longer than seqLen were truncated: ${parts.join(', ')}`;
}
