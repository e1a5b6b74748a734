/**
 * PyTorch's packed (variable-length) LSTMs on the engine's fused BiLSTM op (blocks/lstm-op.ts),
 * which runs whole padded rows. A forward cell is exact on left-aligned rows (its state at
 * len - 1 ignores what follows); a backward cell is exact on right-aligned rows (it starts on the
 * last real frame with a zero state). So each packed BiLSTM runs the op on both alignments with
 * shared weights and keeps, of each run, the direction that is exact. The op's time reversal is a
 * [t, t] matMul, cheap for the short windows MISA packs (at most the text's 50 tokens).
 */
import * as tf from '@tensorflow/tfjs-core';
import { lstmOp } from '../../blocks/lstm-op';
import { pick } from '../../ops/fused';
import { matMul } from '../../ops/ops';
import { uniformInit } from '../../params';
import type { ParamStore } from '../../params';
import { positionPicker, rightShift, validMask } from './batch-input';

/**
 * One LSTM direction, PyTorch's gate order (i, f, g, o) and init U(+-1/sqrt(u)). Like nn.LSTM it
 * keeps two biases (b_ih, b_hh): their sum is one bias to the maths, but Adam and L2 decay treat
 * them as two parameters, so one bias would train differently (its Adam step half as large).
 */
export class LstmWeights {
  readonly kernel: tf.Variable;
  readonly recurrent: tf.Variable;
  readonly biasIh: tf.Variable;
  readonly biasHh: tf.Variable;

  constructor(store: ParamStore, name: string, d: number, units: number) {
    const init = uniformInit(1 / Math.sqrt(units));
    this.kernel = store.variable(`${name}.kernel`, [d, 4 * units], init, 'main');
    this.recurrent = store.variable(`${name}.recurrent_kernel`, [units, 4 * units], init, 'main');
    this.biasIh = store.variable(`${name}.bias_ih`, [4 * units], init, 'main');
    this.biasHh = store.variable(`${name}.bias_hh`, [4 * units], init, 'main');
  }

  /** [kernel, recurrent, bias] as the fused op takes them (the bias summed on the tape). */
  list(): tf.Tensor[] {
    return [this.kernel, this.recurrent, tf.add(this.biasIh, this.biasHh)];
  }
}

/** What a packed BiLSTM layer gives: per-step outputs (zeros past each length) and both final states. */
export interface PackedBiLstmOut {
  /** [B, t, 2u]: forward then backward state per step, as pad_packed_sequence returns them. */
  seq: tf.Tensor3D;
  hFw: tf.Tensor2D;
  hBw: tf.Tensor2D;
}

/** Host-built helpers of one window: valid mask, right shift, pickers of the first and last frame. */
export interface PackWindow {
  lengths: Int32Array;
  t: number;
  valid: tf.Tensor3D;
  shift: tf.Tensor3D;
  last: tf.Tensor3D;
  first: tf.Tensor3D;
}

/** The helpers for rows of `lengths` in a window of t steps (the caller disposes them). */
export function packWindow(lengths: Int32Array, t: number): PackWindow {
  return { lengths, t, valid: validMask(lengths, t), shift: rightShift(lengths, t), last: positionPicker(lengths, t, (n) => n - 1), first: positionPicker(lengths, t, () => 0) };
}

/** Columns [at, at + width) of the last axis of x (a constant selector matMul: slices are slow on WASM). */
export function columns<T extends tf.Tensor>(x: T, at: number, width: number): T {
  const n = x.shape[x.rank - 1];
  const sel = new Float32Array(n * width);
  for (let i = 0; i < width; i++) sel[(at + i) * width + i] = 1;
  const y = matMul(tf.reshape(x, [-1, n]) as tf.Tensor2D, tf.tensor2d(sel, [n, width]), { constB: true });
  return tf.reshape(y, [...x.shape.slice(0, -1), width]) as T;
}

/** Columns [at, at + u) of x [B, t, 2u]. */
function half(x: tf.Tensor3D, u: number, at: number): tf.Tensor3D {
  return columns(x, at, u);
}

/**
 * One packed BiLSTM layer over `left` [B, t, d] (rows left-aligned, zeros past their length);
 * `right` is the same rows right-aligned, or null to build it here with the window's shift.
 */
export function packedBiLstm(left: tf.Tensor3D, right: tf.Tensor3D | null, fw: LstmWeights, bw: LstmWeights, win: PackWindow): PackedBiLstmOut {
  const u = fw.recurrent.shape[0];
  const r = right ?? matMul(win.shift, left, { constA: true });
  const w = [...fw.list(), ...bw.list()];
  const all = lstmOp([left, r], [...w, ...w]);
  const [, b, t] = all.shape;
  const onLeft = tf.reshape(pick(all, 0, 2), [b, t, 2 * u]) as tf.Tensor3D;
  const onRight = tf.reshape(pick(all, 1, 2), [b, t, 2 * u]) as tf.Tensor3D;
  const fwSeq = tf.mul(half(onLeft, u, 0), win.valid) as tf.Tensor3D;
  // back to left alignment: S^T moves frame t - len + q to q
  const bwSeq = matMul(tf.transpose(win.shift, [0, 2, 1]), half(onRight, u, u), { constA: true });
  const finalOf = (seq: tf.Tensor3D, at: tf.Tensor3D) => tf.sum(tf.mul(seq, at), 1) as tf.Tensor2D;
  return { seq: tf.concat([fwSeq, bwSeq], 2), hFw: finalOf(fwSeq, win.last), hBw: finalOf(bwSeq, win.first) };
}
