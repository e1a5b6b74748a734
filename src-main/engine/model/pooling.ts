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
