/**
 * Host-side layouts of a batch's typed arrays for the baselines' recurrent encoders: which
 * frames an encoder reads (PyTorch's pack_padded_sequence keeps the first `len` of each row),
 * left- and right-aligned copies, and the one-hot pickers of a packed LSTM's final states.
 * Everything here is data (no gradient), so it is built in JS and uploaded once.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BatchModality } from '../../batch';

/** A modality's rows as [B, t, d] with each row cut to `lengths[b]` frames (zeros past it), left- or right-aligned. */
export function packedRows(m: BatchModality, branch: 'corrupted' | 'complete', lengths: Int32Array, t: number, align: 'left' | 'right'): tf.Tensor3D {
  const b = lengths.length;
  const { d } = m;
  const src = m[branch];
  const out = new Float32Array(b * t * d);
  for (let i = 0; i < b; i++) {
    const len = lengths[i];
    const shift = align === 'left' ? 0 : t - len;
    // frames past the modality's padded length are its padding: zeros
    const copy = Math.min(len, m.t);
    out.set(src.subarray((i * m.t) * d, (i * m.t + copy) * d), (i * t + shift) * d);
  }
  return tf.tensor3d(out, [b, t, d]);
}

/** lengths clamped to [1, cap]: PyTorch refuses an empty packed row, and none is longer than the window. */
export function clampLengths(lengths: Int32Array, cap: number): Int32Array {
  return lengths.map((n) => Math.min(Math.max(n, 1), cap));
}

/** [B, t, 1] with 1 where position < length. */
export function validMask(lengths: Int32Array, t: number): tf.Tensor3D {
  const out = new Float32Array(lengths.length * t);
  lengths.forEach((len, i) => out.fill(1, i * t, i * t + len));
  return tf.tensor3d(out, [lengths.length, t, 1]);
}

/** [B, t, 1] one-hot at position `at(len)` of each row (a packed LSTM's final step). */
export function positionPicker(lengths: Int32Array, t: number, at: (len: number) => number): tf.Tensor3D {
  const out = new Float32Array(lengths.length * t);
  lengths.forEach((len, i) => (out[i * t + at(len)] = 1));
  return tf.tensor3d(out, [lengths.length, t, 1]);
}

/** [B, t, t] selection S with (S x)[b, p] = x[b, p - (t - len)]: moves each row's first len frames to its end. */
export function rightShift(lengths: Int32Array, t: number): tf.Tensor3D {
  const out = new Float32Array(lengths.length * t * t);
  lengths.forEach((len, i) => {
    for (let q = 0; q < len; q++) out[(i * t + q + t - len) * t + q] = 1;
  });
  return tf.tensor3d(out, [lengths.length, t, t]);
}

/** [B, d] mean of each row's first len[b] frames (MMSA's masked mean of BERT outputs). */
export function maskedMean(m: BatchModality, branch: 'corrupted' | 'complete', lengths: Int32Array): tf.Tensor2D {
  const { d, t } = m;
  const src = m[branch];
  const out = new Float32Array(lengths.length * d);
  lengths.forEach((len, i) => {
    const row = out.subarray(i * d, (i + 1) * d);
    for (let s = 0; s < len; s++) {
      const at = (i * t + s) * d;
      for (let k = 0; k < d; k++) row[k] += src[at + k];
    }
    for (let k = 0; k < d; k++) row[k] /= len;
  });
  return tf.tensor2d(out, [lengths.length, d]);
}

/** [B, d] frame `at` of each row (Self-MM's [CLS] token). */
export function frameAt(m: BatchModality, branch: 'corrupted' | 'complete', at: number): tf.Tensor2D {
  const { d, t } = m;
  const src = m[branch];
  const b = src.length / (t * d);
  const out = new Float32Array(b * d);
  for (let i = 0; i < b; i++) out.set(src.subarray((i * t + at) * d, (i * t + at + 1) * d), i * d);
  return tf.tensor2d(out, [b, d]);
}
