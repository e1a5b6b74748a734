/**
 * Lays out one modality of a batch for the alignment convolution (pure JS, typed arrays).
 * Frames beyond a clip's valid length count as zeros, so the kernel-3 'same' padding happens at
 * the clip's own edges. Two layouts, chosen by width:
 * - wide (d_m > d, e.g. BERT text): frame rows with one zero row after every clip, so the three
 *   kernel taps read the same buffer shifted by 0, 1, 2 rows; the corrupted branch is the complete
 *   one with rows masked, which the model applies after the matMuls (half the conv work).
 * - narrow (d_m <= d): im2col rows in pooling-slot order (slot-major), so pooling is a weighted
 *   sum over slots instead of a batched matMul (slow on WASM).
 */
import type { BatchModality } from './batch';
import { DarError } from '../errors';
import { poolingMatrix, slotPlan } from './pooling';

/** Typed arrays of the wide layout; N = size * rowsPerClip. */
export interface WideLayout {
  rowsPerClip: number;
  /** [N + 2, d_m]: zero row, then each clip's T frames and a zero separator, then a zero row. */
  padded: Float32Array;
  /** padded transposed, [d_m, N + 2]. */
  paddedT: Float32Array;
  /** Per tap k, [N]: 0 where padded row r + k is a frame masked in the corrupted branch. */
  keep: [Float32Array, Float32Array, Float32Array] | null;
  /** [branches * size, t, rowsPerClip] */
  pool: Float32Array;
}

/** Typed arrays of the narrow layout; R = branches * size * t rows of pooled output. */
export interface NarrowLayout {
  slots: number;
  /** [slots * R, 3 d_m]: row (j, r) holds frames i-1, i, i+1 of slot j of output row r. */
  cols: Float32Array;
  /** cols transposed, [3 d_m, slots * R]. */
  colsT: Float32Array;
  /** [slots, R] averaging weights. */
  weights: Float32Array;
}

/** out [cols, rows] = a [rows, cols] transposed, in 64-row tiles to keep both sides cached. */
function transposeInto(a: Float32Array, rows: number, cols: number, out: Float32Array): void {
  const tile = 64;
  for (let r0 = 0; r0 < rows; r0 += tile) {
    const r1 = Math.min(rows, r0 + tile);
    for (let c = 0; c < cols; c++) {
      const o = c * rows;
      for (let r = r0; r < r1; r++) out[o + r] = a[r * cols + c];
    }
  }
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
  const paddedT = new Float32Array(padded.length);
  transposeInto(padded, n + 2, d, paddedT);
  let keep: WideLayout['keep'] = null;
  if (branches === 2) {
    const kept = keptFrames(mod, name);
    const row = new Float32Array(n + 2).fill(1);
    lengths.forEach((len, b) => {
      for (let i = 0; i < len; i++) row[1 + b * rowsPerClip + i] = kept[b * T + i];
    });
    keep = [row.slice(0, n), row.slice(1, n + 1), row.slice(2, n + 2)];
  }
  const one = poolingMatrix(lengths, t, rowsPerClip);
  const pool = new Float32Array(branches * one.length);
  for (let br = 0; br < branches; br++) pool.set(one, br * one.length);
  return { rowsPerClip, padded, paddedT, keep, pool };
}

/** Narrow layout; branch 0 reads `corrupted` (when 2 branches), the last branch `complete`. */
export function narrowLayout(mod: BatchModality, t: number, branches: 1 | 2): NarrowLayout {
  const { d, t: T, lengths } = mod;
  const size = lengths.length;
  const plan = slotPlan(lengths, t);
  const { slots } = plan;
  const rows = branches * size * t;
  const total = slots * rows;
  const width = 3 * d;
  const cols = new Float32Array(total * width);
  const colsT = new Float32Array(total * width);
  const weights = new Float32Array(total);
  for (let br = 0; br < branches; br++) {
    const src = br === 0 && branches === 2 ? mod.corrupted : mod.complete;
    for (let b = 0; b < size; b++) {
      const len = lengths[b];
      for (let k = 0; k < t; k++) {
        for (let j = 0; j < slots; j++) {
          const p = (b * t + k) * slots + j;
          const i = plan.frame[p];
          if (i < 0) continue;
          const row = j * rows + (br * size + b) * t + k;
          weights[row] = plan.weight[p];
          for (let tap = 0; tap < 3; tap++) {
            const f = i + tap - 1;
            if (f < 0 || f >= len) continue;
            cols.set(src.subarray((b * T + f) * d, (b * T + f + 1) * d), row * width + tap * d);
          }
        }
      }
    }
  }
  transposeInto(cols, total, width, colsT);
  return { slots, cols, colsT, weights };
}
