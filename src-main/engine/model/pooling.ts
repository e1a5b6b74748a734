/**
 * Relative-time pooling (spec "Architecture" 1): valid frame i of a clip of valid length L goes
 * to bin floor(i * t / L); a bin is the average of its frames; an empty bin (only when L < t)
 * copies frame floor(k * L / t). Padding frames get weight 0. Pure JS, typed arrays.
 */
import { DarError } from '../errors';

/** Bin of valid frame i (0 <= i < len) among t bins. */
export function frameBin(i: number, len: number, t: number): number {
  return Math.floor((i * t) / len);
}

/** One clip's [t, T] weights (row k: how bin k averages the frames), written at `out[offset]`. */
function fillClip(out: Float32Array, offset: number, len: number, t: number, T: number): void {
  if (len === 0) return; // nothing observed: every bin stays 0
  const counts = new Int32Array(t);
  for (let i = 0; i < len; i++) counts[frameBin(i, len, t)]++;
  for (let i = 0; i < len; i++) {
    const k = frameBin(i, len, t);
    out[offset + k * T + i] = 1 / counts[k];
  }
  for (let k = 0; k < t; k++) {
    if (counts[k] === 0) out[offset + k * T + Math.floor((k * len) / t)] = 1;
  }
}

/** Pooling matrices [B, t, T] (row-major) for valid lengths; B = lengths.length. */
export function poolingMatrix(lengths: Int32Array, t: number, T: number): Float32Array {
  const out = new Float32Array(lengths.length * t * T);
  lengths.forEach((len, b) => {
    if (!Number.isInteger(len) || len < 0 || len > T) {
      throw new DarError('ARG_INVALID', `pooling: length of sample ${b} must be in 0..${T}, got ${len}`);
    }
    fillClip(out, b * t * T, len, t, T);
  });
  return out;
}

/**
 * Which of the t bins contain (or, for an empty bin, copy) a masked frame of one clip;
 * mask is [T] with 1 = masked, only the first `length` positions count.
 */
export function binsTouched(mask: Uint8Array, length: number, t: number): boolean[] {
  const touched: boolean[] = new Array<boolean>(t).fill(false);
  if (length === 0) return touched;
  const filled = new Uint8Array(t);
  for (let i = 0; i < length; i++) {
    const k = frameBin(i, length, t);
    filled[k] = 1;
    if (mask[i]) touched[k] = true;
  }
  for (let k = 0; k < t; k++) {
    if (!filled[k] && mask[Math.floor((k * length) / t)]) touched[k] = true;
  }
  return touched;
}

/** Frames [start, end) of bin k for a clip of length len >= 1 (empty when start === end). */
export function binRange(k: number, len: number, t: number): [number, number] {
  return [Math.ceil((k * len) / t), Math.ceil(((k + 1) * len) / t)];
}

/** The same pooling as "slots": each bin averages up to `slots` frames (spec rule, slot j of bin k). */
export interface SlotPlan {
  /** Slots per bin: the largest bin of the batch (at least 1). */
  slots: number;
  /** Frame index per (clip, bin, slot), row-major [B, t, slots]; -1 = unused slot. */
  frame: Int32Array;
  /** Averaging weight per (clip, bin, slot); 0 for unused slots. */
  weight: Float32Array;
}

/** Slot form of poolingMatrix: same bins, same weights, but indexed by (clip, bin, slot). */
export function slotPlan(lengths: Int32Array, t: number): SlotPlan {
  let slots = 1;
  for (const len of lengths) slots = Math.max(slots, len > 0 ? Math.ceil(len / t) : 1);
  const frame = new Int32Array(lengths.length * t * slots).fill(-1);
  const weight = new Float32Array(frame.length);
  lengths.forEach((len, b) => {
    if (len <= 0) return;
    for (let k = 0; k < t; k++) {
      const at = (b * t + k) * slots;
      const [start, end] = binRange(k, len, t);
      if (start === end) {
        frame[at] = Math.floor((k * len) / t);
        weight[at] = 1;
        continue;
      }
      for (let i = start; i < end; i++) {
        frame[at + i - start] = i;
        weight[at + i - start] = 1 / (end - start);
      }
    }
  });
  return { slots, frame, weight };
}
