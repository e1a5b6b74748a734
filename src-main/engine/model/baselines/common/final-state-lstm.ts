/**
 * A one-directional LSTM over data rows that returns only each row's state at its own length
 * (PyTorch's h_n of a packed sequence) as ONE differentiable op with hand-written
 * backpropagation through time, for Self-MM's long audio (375) and video (500) sequences. The
 * engine's BiLSTM op would also run a backward cell and reverse time with [t, t] matMuls
 * (gigaflops at t = 500). Past its length a row's state is frozen (h = h + m (h' - h)), so the
 * last step's state is h_n; gradients flow to the weights only (the rows are data).
 */
import * as tf from '@tensorflow/tfjs-core';
import { fastTanh, mm, mmBias, rowSum, takeChunks, tr2, weightGrad } from '../../ops/kernels';
import { custom } from '../../ops/ops';

type StepState = Record<'i' | 'f' | 'g' | 'o' | 'tc' | 'c' | 'h', tf.Tensor>;
const NAMES = ['i', 'f', 'g', 'o', 'tc', 'c', 'h'] as const;

/** [4, B, u] gate-major view of a [B, 4u] matrix, and back. */
const gateMajor = (z: tf.Tensor, b: number, u: number) => tf.transpose(tf.reshape(z, [b, 4, u]), [1, 0, 2]);
const rowMajor = (z: tf.Tensor, b: number, u: number) => tf.reshape(tf.transpose(z, [1, 0, 2]), [b, 4 * u]);

/** One step of the recurrence; m [B, u] is 1 where a unit's row is still inside its length. */
function forwardStep(zin: tf.Tensor, prev: StepState | null, r: tf.Tensor, m: tf.Tensor, gScale: tf.Tensor, b: number, u: number): StepState {
  const z = prev ? tf.add(zin, gateMajor(mm(prev.h, r), b, u)) : zin;
  // one sigmoid for all gates: tanh(g) = 2 sigmoid(2 g) - 1
  const sg = tf.sigmoid(tf.mul(z, gScale));
  const [i, f, g2, o] = [0, 1, 2, 3].map((n) => tf.reshape(takeChunks(sg, n, 1, 4), [b, u]));
  const g = tf.sub(tf.mul(g2, 2), 1);
  const cNew = prev ? tf.add(tf.mul(f, prev.c), tf.mul(i, g)) : tf.mul(i, g);
  const tc = fastTanh(cNew);
  const hNew = tf.mul(o, tc);
  const c = prev ? tf.add(prev.c, tf.mul(m, tf.sub(cNew, prev.c))) : tf.mul(m, cNew);
  const h = prev ? tf.add(prev.h, tf.mul(m, tf.sub(hNew, prev.h))) : tf.mul(m, hNew);
  return { i, f, g, o, tc, c, h };
}

/** dz [B, 4u] of one step and the carries (dh, dc) into the previous step. */
function backwardStep(dh: tf.Tensor, dc: tf.Tensor, st: StepState, cPrev: tf.Tensor | null, m: tf.Tensor, rT: tf.Tensor, b: number, u: number): { dz: tf.Tensor; dh: tf.Tensor; dc: tf.Tensor } {
  const keep = tf.sub(1, m);
  const dhNew = tf.mul(m, dh);
  const dcNew = tf.add(tf.mul(m, dc), tf.mul(tf.mul(dhNew, st.o), tf.sub(1, tf.square(st.tc))));
  const sig = (x: tf.Tensor, dx: tf.Tensor) => tf.mul(dx, tf.mul(x, tf.sub(1, x)));
  const dzi = sig(st.i, tf.mul(dcNew, st.g));
  const dzf = cPrev ? sig(st.f, tf.mul(dcNew, cPrev)) : tf.zerosLike(st.f);
  const dzg = tf.mul(tf.mul(dcNew, st.i), tf.sub(1, tf.square(st.g)));
  const dzo = sig(st.o, tf.mul(dhNew, st.tc));
  const dz = rowMajor(tf.stack([dzi, dzf, dzg, dzo]), b, u);
  return { dz, dh: tf.add(mm(dz, rT), tf.mul(keep, dh)), dc: tf.add(tf.mul(dcNew, st.f), tf.mul(keep, dc)) };
}

/** Units [from, from + units) of a step's state follow rows of these lengths. */
export interface UnitGroup {
  lengths: Int32Array;
  units: number;
}

/** Step-major [t, B, u] masks: unit k of row b is live while s < the length of k's group. */
function stepMasks(groups: UnitGroup[], t: number): tf.Tensor3D {
  const b = groups[0].lengths.length;
  const u = groups.reduce((n, g) => n + g.units, 0);
  const out = new Float32Array(t * b * u);
  for (let s = 0; s < t; s++) {
    for (let i = 0; i < b; i++) {
      let at = (s * b + i) * u;
      for (const g of groups) {
        if (s < g.lengths[i]) out.fill(1, at, at + g.units);
        at += g.units;
      }
    }
  }
  return tf.tensor3d(out, [t, b, u]);
}

/**
 * h_n [B, u] of an LSTM (gate order i, f, g, o; h0 = c0 = 0) over data x [B, t, d]; each group of
 * units stops at its rows' lengths (one group: a plain packed LSTM; several: independent LSTMs
 * stepped together, see blockDiagonalLstm). kernel [d, 4u], recurrent [u, 4u], bias [4u] get gradients.
 */
export function finalStateLstm(x: tf.Tensor3D, groups: UnitGroup[], kernel: tf.Tensor, recurrent: tf.Tensor, bias: tf.Tensor): tf.Tensor2D {
  const [b, t, d] = x.shape;
  const u = recurrent.shape[0];
  const f = custom(([w, r, bs], save) => {
    const masks = stepMasks(groups, t);
    // the rows step-major once: [t * B, d], so every step and the kernel's gradient read row blocks
    const xs = tf.reshape(tf.transpose(x, [1, 0, 2]), [t * b, d]);
    const zin = tf.reshape(tf.transpose(tf.reshape(mmBias(xs, w, bs), [t, b, 4, u]), [0, 2, 1, 3]), [t, 4 * b * u]);
    const gScale = tf.tensor3d([1, 1, 2, 1], [4, 1, 1]);
    const steps: StepState[] = [];
    for (let s = 0; s < t; s++) {
      const prev = steps[s - 1] ?? null;
      const m = tf.reshape(takeChunks(masks, s, 1, t), [b, u]);
      steps.push(tf.tidy(() => forwardStep(tf.reshape(takeChunks(zin, s, 1, t), [4, b, u]), prev, r, m, gScale, b, u) as unknown as tf.NamedTensorMap) as unknown as StepState);
    }
    // r is saved, not captured: an input built on the tape (blockDiagonalLstm) is gone by the backward pass
    save([xs, masks, r, ...steps.flatMap((st) => NAMES.map((n) => st[n]))]);
    return {
      value: tf.clone(steps[t - 1].h),
      gradFunc: (dy, saved) => {
        const [sx, sm, sr] = saved;
        const st = Array.from({ length: t }, (_, s) => Object.fromEntries(NAMES.map((n, k) => [n, saved[3 + s * NAMES.length + k]])) as StepState);
        const rT = tr2(sr);
        const dzs: tf.Tensor[] = new Array<tf.Tensor>(t);
        let dh: tf.Tensor = dy;
        let dc: tf.Tensor = tf.zerosLike(dy);
        for (let s = t - 1; s >= 0; s--) {
          const carried = [dh, dc].filter((c) => c !== dy);
          // a tidy per step: only dz and the carries outlive it
          const out = tf.tidy(() => backwardStep(dh, dc, st[s], s > 0 ? st[s - 1].c : null, tf.reshape(takeChunks(sm, s, 1, t), [b, u]), rT, b, u) as unknown as tf.NamedTensorMap);
          [dzs[s], dh, dc] = [out.dz, out.dh, out.dc];
          tf.dispose(carried);
        }
        const dZ = tf.concat(dzs, 0); // [t * B, 4u], step-major like sx
        const hPrev = tf.concat([tf.zerosLike(st[0].h), ...st.slice(0, t - 1).map((x2) => x2.h)], 0);
        return [weightGrad(sx, dZ), weightGrad(hPrev, dZ), rowSum(dZ)];
      },
    };
  });
  return f(kernel, recurrent, bias) as tf.Tensor2D;
}

/** One LSTM's weights, as finalStateLstm takes them. */
export interface LstmParts {
  kernel: tf.Tensor;
  recurrent: tf.Tensor;
  bias: tf.Tensor;
}

/**
 * Independent LSTMs as one block-diagonal LSTM (inputs and units concatenated, each block's
 * units read only its own inputs and units), built on the tape so each LSTM's weights get their
 * gradients: several short LSTMs step together, paying the per-step op cost once.
 */
export function blockDiagonalLstm(parts: LstmParts[]): LstmParts {
  const units = parts.map((p) => p.recurrent.shape[0]);
  const total = units.reduce((a, b) => a + b, 0);
  let before = 0;
  const place = parts.map((p, k) => {
    const u = units[k];
    const pad = (w: tf.Tensor): tf.Tensor => tf.pad(tf.reshape(w, [-1, 4, u]), [[0, 0], [0, 0], [before, total - before - u]]);
    const out = { kernel: pad(p.kernel), recurrent: pad(p.recurrent), bias: tf.reshape(p.bias, [4, u]) };
    before += u;
    return out;
  });
  return {
    kernel: tf.reshape(tf.concat(place.map((p) => p.kernel), 0), [-1, 4 * total]),
    recurrent: tf.reshape(tf.concat(place.map((p) => p.recurrent), 0), [total, 4 * total]),
    // a fresh rank-1 buffer: WASM's fused matMul checks the bias's BUFFER rank, and a reshape keeps [4, total]
    bias: tf.add(tf.reshape(tf.concat(place.map((p) => p.bias), 1), [4 * total]), 0),
  };
}
