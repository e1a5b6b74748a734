/**
 * Lays out one modality of a batch for the alignment convolution (pure JS, typed arrays).
 * Frames beyond a clip's valid length count as zeros, so the kernel-3 'same' padding happens at
 * the clip's own edges. Two layouts, chosen by width:
 * - wide (d_m > d, e.g. BERT text): frame rows with one zero row after every clip, so the three
 *   kernel taps read the same buffer shifted by 0, 1, 2 rows; the corrupted branch is the complete
 *   one with rows masked, which the model applies after the matMuls (half the conv work).
 * - narrow (d_m <= d): im2col rows [i-1 | i | i+1] of the valid frames only, so the convolution
 *   is one matMul and padding costs nothing; a corrupted frame whose window holds no masked frame
 *   reuses the complete frame's row.
 * Either way the pooling into bins is a segment mean over conv rows (segments.ts).
 */
import type { BatchModality } from '../batch';
import { DarError } from '../../errors';
import { poolSegments } from './segments';
import type { PoolSegments } from './segments';

/** Typed arrays of the wide layout; N = size * rowsPerClip. */
export interface WideLayout {
  rowsPerClip: number;
  /** [N + 2, d_m]: zero row, then each clip's T frames and a zero separator, then a zero row. */
  padded: Float32Array;
  /** Per tap k, [N]: 0 where padded row r + k is a frame masked in the corrupted branch. */
  keep: [Float32Array, Float32Array, Float32Array] | null;
  segments: PoolSegments;
}

/** Typed arrays of the narrow layout: F conv rows (the complete frames, then corrupted ones that differ). */
export interface NarrowLayout {
  /** [F, 3 d_m]: the row of a frame holds frames i-1, i, i+1 (zeros outside the clip). */
  cols: Float32Array;
  /** F, rounded up to a multiple of 64 (zero rows, never pooled) so that cols transposes fast. */
  rows: number;
  segments: PoolSegments;
}

function rowIsZero(a: Float32Array, at: number, d: number): boolean {
  for (let c = 0; c < d; c++) if (a[at + c] !== 0) return false;
  return true;
}

/** 1 = the corrupted frame is the complete one, 0 = masked (zeroed); anything else is refused. */
function keptFrames(mod: BatchModality, name: string): Uint8Array {
  const { d, t, lengths, complete, corrupted } = mod;
  const kept = new Uint8Array(lengths.length * t).fill(1);
  lengths.forEach((len, b) => {
    for (let i = 0; i < len; i++) {
      const at = (b * t + i) * d;
      let same = true;
      for (let c = 0; c < d && same; c++) same = complete[at + c] === corrupted[at + c];
      if (same) continue;
      if (!rowIsZero(corrupted, at, d)) {
        throw new DarError('ARG_INVALID', `batch ${name}.corrupted: clip ${b} frame ${i} is neither the complete frame nor zero`);
      }
      kept[b * t + i] = 0;
    }
  });
  return kept;
}

/** Wide layout; `branches` 2 = corrupted + complete, 1 = one branch (corrupted is complete). */
export function wideLayout(mod: BatchModality, t: number, branches: 1 | 2, name: string): WideLayout {
  const { d, t: T, lengths, complete } = mod;
  const size = lengths.length;
  const rowsPerClip = T + 1;
  const n = size * rowsPerClip;
  const padded = new Float32Array((n + 2) * d);
  lengths.forEach((len, b) => {
    padded.set(complete.subarray(b * T * d, (b * T + len) * d), (1 + b * rowsPerClip) * d);
  });
  let keep: WideLayout['keep'] = null;
  if (branches === 2) {
    const kept = keptFrames(mod, name);
    const row = new Float32Array(n + 2).fill(1);
    lengths.forEach((len, b) => {
      for (let i = 0; i < len; i++) row[1 + b * rowsPerClip + i] = kept[b * T + i];
    });
    keep = [row.slice(0, n), row.slice(1, n + 1), row.slice(2, n + 2)];
  }
  const segments = poolSegments(lengths, t, branches, branches * n, (br, b, i) => (br * size + b) * rowsPerClip + i);
  return { rowsPerClip, padded, keep, segments };
}

/** Writes the im2col row of frame i of clip b (frames i-1, i, i+1 of src, zeros outside the clip). */
function im2colRow(cols: Float32Array, row: number, src: Float32Array, b: number, i: number, len: number, T: number, d: number): void {
  const to = row * 3 * d;
  for (let tap = 0; tap < 3; tap++) {
    const f = i + tap - 1;
    if (f < 0 || f >= len) continue;
    const from = (b * T + f) * d;
    for (let c = 0; c < d; c++) cols[to + tap * d + c] = src[from + c];
  }
}

/**
 * Narrow layout; branch 0 reads `corrupted` (when 2 branches), the last branch `complete`. The
 * complete frames come first; a corrupted frame gets its own row only when its 3-frame window
 * holds a masked frame: otherwise its conv output (and GELU) is the complete frame's, and the
 * corrupted branch's bins pool that row (at k = 0.3, a third of the corrupted rows are shared).
 */
export function narrowLayout(mod: BatchModality, t: number, branches: 1 | 2, name: string): NarrowLayout {
  const { d, t: T, lengths } = mod;
  const size = lengths.length;
  const offset = new Int32Array(size + 1);
  lengths.forEach((len, b) => (offset[b + 1] = offset[b] + len));
  const frames = offset[size];
  const kept = branches === 2 ? keptFrames(mod, name) : null;
  // own[f] = row of corrupted frame f (frame i of clip b at f = offset[b] + i), or -1 if shared
  const own = new Int32Array(frames).fill(-1);
  let used = frames;
  if (kept) {
    lengths.forEach((len, b) => {
      for (let i = 0; i < len; i++) {
        const k = b * T + i;
        if (!kept[k] || (i > 0 && !kept[k - 1]) || (i + 1 < len && !kept[k + 1])) own[offset[b] + i] = used++;
      }
    });
  }
  // at least one row, so that an all-empty batch still has a (never pooled) conv row
  const rows = Math.max(64, Math.ceil(used / 64) * 64);
  const cols = new Float32Array(rows * 3 * d);
  lengths.forEach((len, b) => {
    for (let i = 0; i < len; i++) {
      const f = offset[b] + i;
      im2colRow(cols, f, mod.complete, b, i, len, T, d);
      if (own[f] >= 0) im2colRow(cols, own[f], mod.corrupted, b, i, len, T, d);
    }
  });
  const rowOf = (br: number, b: number, i: number) => (br === branches - 1 || own[offset[b] + i] < 0 ? offset[b] + i : own[offset[b] + i]);
  return { cols, rows, segments: poolSegments(lengths, t, branches, rows, rowOf) };
}
