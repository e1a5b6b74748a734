/**
 * K bidirectional LSTMs of equal shape (gate order i, f, g, o; h0 = c0 = 0) as ONE differentiable
 * op with hand-written backpropagation through time. Its 2K cells (forward cells of LSTM 0..K-1,
 * then their backward cells) step together: the state is [2K, B, u], each cell's recurrent
 * product is a 2-D matMul, the gates are computed for all cells at once. A backward cell reads
 * the sequence from its end: its step s is time t - 1 - s (time is reversed by a [t, t] matMul).
 */
import * as tf from '@tensorflow/tfjs-core';
import { fastTanh, mm, mmBias, rowSum, takeChunks, tr2, weightGrad } from '../ops/kernels';
import { custom } from '../ops/ops';

interface Dims {
  k: number;
  b: number;
  t: number;
  d: number;
  u: number;
}

/** The [t, t] time reversal. */
function reversal(t: number): tf.Tensor2D {
  const j = new Float32Array(t * t);
  for (let i = 0; i < t; i++) j[i * t + t - 1 - i] = 1;
  return tf.tensor2d(j, [t, t]);
}

/** Reverses axis 1 of x [a, t, ...]. */
function reverseTime(x: tf.Tensor, j: tf.Tensor2D): tf.Tensor {
  const [a, t] = x.shape;
  const rest = x.shape.slice(2);
  const front = tf.reshape(tf.transpose(tf.reshape(x, [a, t, -1]), [1, 0, 2]), [t, -1]);
  return tf.reshape(tf.transpose(tf.reshape(mm(j, front), [t, a, -1]), [1, 0, 2]), [a, t, ...rest]);
}

/** Cell c's weights [W, R, bias] from the op's weight list (per LSTM: fw W, R, b, bw W, R, b). */
function cellWeights(w: tf.Tensor[], c: number, k: number): tf.Tensor[] {
  const at = (c % k) * 6 + (c < k ? 0 : 3);
  return w.slice(at, at + 3);
}

/** Step-major input projections of every cell: [t, 2K * B * 4u]. */
function inputProjections(xs: tf.Tensor[], w: tf.Tensor[], dm: Dims, j: tf.Tensor2D): tf.Tensor2D {
  const { k, b, t, d, u } = dm;
  const cells = Array.from({ length: 2 * k }, (_, c) => {
    const [wc, , bc] = cellWeights(w, c, k);
    const z = tf.reshape(mmBias(tf.reshape(xs[c % k], [b * t, d]), wc, bc), [b, t, 4 * u]);
    return tf.reshape(c < k ? z : reverseTime(z, j), [1, b, t, 4 * u]);
  });
  return tf.reshape(tf.transpose(tf.concat(cells, 0), [2, 0, 1, 3]), [t, -1]);
}

/** One step of all cells; returns what the backward pass needs. */
function cellStep(z: tf.Tensor, h: tf.Tensor | null, c: tf.Tensor | null, rec: tf.Tensor[], dm: Dims, gScale: tf.Tensor): Record<string, tf.Tensor> {
  const { k, b, u } = dm;
  if (h) {
    const r = rec.map((rc, cell) => tf.reshape(mm(tf.reshape(takeChunks(h, cell, 1, 2 * k), [b, u]), rc as tf.Tensor2D), [1, b, 4 * u]));
    z = tf.add(z, tf.concat(r, 0));
  }
  // gates to the front, one sigmoid for all: tanh(g) = 2 sigmoid(2 g) - 1
  const sg = tf.sigmoid(tf.mul(tf.transpose(tf.reshape(z, [2 * k * b, 4, u]), [1, 0, 2]), gScale));
  const [i, f, g2, o] = [0, 1, 2, 3].map((n) => takeChunks(sg, n, 1, 4));
  const g = tf.sub(tf.mul(g2, 2), 1);
  const ig = tf.mul(i, g);
  const cNext = c ? tf.add(tf.mul(f, c), ig) : ig;
  const tc = fastTanh(cNext);
  return { i, f, g, o, c: cNext, tc, h: tf.reshape(tf.mul(o, tc), [2 * k, b, u]) };
}

/** Gradient of the gate pre-activations z [2K, B, 4u] of one step, and the new c carry. */
function stepBackward(dh: tf.Tensor, dcIn: tf.Tensor | null, st: Record<string, tf.Tensor>, cPrev: tf.Tensor | null, dm: Dims): { dz: tf.Tensor; dc: tf.Tensor } {
  const { k, b, u } = dm;
  const { i, f, g, o, tc } = st;
  const dh1 = tf.reshape(dh, [1, -1]);
  const dcTot = tf.add(tf.mul(tf.mul(dh1, o), tf.sub(1, tf.square(tc))), dcIn ?? 0);
  const sig = (x: tf.Tensor, dx: tf.Tensor) => tf.mul(dx, tf.mul(x, tf.sub(1, x)));
  const dzi = sig(i, tf.mul(dcTot, g));
  const dzf = cPrev ? sig(f, tf.mul(dcTot, cPrev)) : tf.zerosLike(f);
  const dzg = tf.mul(tf.mul(dcTot, i), tf.sub(1, tf.square(g)));
  const dzo = sig(o, tf.mul(dh1, tc));
  const dz = tf.reshape(tf.transpose(tf.reshape(tf.concat([dzi, dzf, dzg, dzo], 0), [4, 2 * k * b, u]), [1, 0, 2]), [2 * k, b, 4 * u]);
  return { dz, dc: tf.mul(dcTot, f) };
}

/** [K, B, t, 2u] outputs (forward states, then backward ones per step) from the step states. */
function outputs(hs: tf.Tensor[], dm: Dims, j: tf.Tensor2D): tf.Tensor {
  const { k, b, t, u } = dm;
  const all = tf.transpose(tf.stack(hs), [1, 0, 2, 3]); // [2K, t, B, u]
  const fw = tf.reshape(takeChunks(all, 0, k, 2 * k), [k, t, b, u]);
  const bw = reverseTime(tf.reshape(takeChunks(all, k, k, 2 * k), [k, t, b, u]), j);
  return tf.transpose(tf.concat([fw, bw], 3), [0, 2, 1, 3]);
}

/** Per-step gradients of the states [t, 2K * B * u] from the outputs' gradient. */
function outputGrads(dy: tf.Tensor, dm: Dims, j: tf.Tensor2D): tf.Tensor2D {
  const { k, b, t, u } = dm;
  const halves = tf.transpose(tf.reshape(tf.transpose(dy, [0, 2, 1, 3]), [k * t * b, 2, u]), [1, 0, 2]);
  const fw = tf.reshape(takeChunks(halves, 0, 1, 2), [k, t, b, u]);
  const bw = reverseTime(tf.reshape(takeChunks(halves, 1, 1, 2), [k, t, b, u]), j);
  return tf.reshape(tf.transpose(tf.concat([fw, bw], 0), [1, 0, 2, 3]), [t, -1]);
}

/** Weight and input gradients from the per-step dz and the previous states. */
function paramGrads(dzs: tf.Tensor[], hPrev: tf.Tensor[], xs: tf.Tensor[], w: tf.Tensor[], dm: Dims, j: tf.Tensor2D, wantX: boolean, wantW: boolean): { dw: tf.Tensor[]; dx: tf.Tensor[] } {
  const { k, b, t, d, u } = dm;
  const byCell = (steps: tf.Tensor[], width: number) => tf.transpose(tf.reshape(tf.stack(steps), [t, 2 * k, b, width]), [1, 0, 2, 3]);
  const dzAll = byCell(dzs, 4 * u);
  const hAll = wantW ? byCell(hPrev, u) : hPrev[0];
  const dw: tf.Tensor[] = new Array<tf.Tensor>(6 * k);
  const dx: (tf.Tensor | null)[] = new Array<tf.Tensor | null>(wantX ? k : 0).fill(null);
  for (let c = 0; c < 2 * k; c++) {
    const dzStep = tf.reshape(takeChunks(dzAll, c, 1, 2 * k), [1, t, b, 4 * u]);
    const dzTime = c < k ? dzStep : reverseTime(dzStep, j);
    const dzRows = tf.reshape(tf.transpose(tf.reshape(dzTime, [t, b, 4 * u]), [1, 0, 2]), [b * t, 4 * u]);
    const [wc] = cellWeights(w, c, k);
    const at = (c % k) * 6 + (c < k ? 0 : 3);
    if (wantW) {
      dw[at] = weightGrad(tf.reshape(xs[c % k], [b * t, d]), dzRows);
      dw[at + 1] = weightGrad(tf.reshape(takeChunks(hAll, c, 1, 2 * k), [t * b, u]), tf.reshape(dzStep, [t * b, 4 * u]));
      dw[at + 2] = rowSum(dzRows);
    }
    if (wantX) {
      const g = mm(dzRows, tr2(wc));
      dx[c % k] = dx[c % k] ? tf.add(dx[c % k]!, g) : g;
    }
  }
  return { dw, dx: dx.map((g) => tf.reshape(g!, [b, t, d])) };
}

/** The forward recurrence: per step the gates, cell and hidden states of all cells. */
function runSteps(zin: tf.Tensor, rec: tf.Tensor[], dm: Dims): Record<string, tf.Tensor>[] {
  const { k, b, t, u } = dm;
  const gScale = tf.tensor3d([1, 1, 2, 1], [4, 1, 1]);
  const steps: Record<string, tf.Tensor>[] = [];
  for (let s = 0; s < t; s++) {
    const prev = steps[s - 1];
    // a tidy per step: only what the backward pass reads survives the step
    steps.push(tf.tidy(() => cellStep(tf.reshape(takeChunks(zin, s, 1, t), [2 * k, b, 4 * u]), prev?.h ?? null, prev?.c ?? null, rec, dm, gScale)));
  }
  return steps;
}

/** Backpropagation through time: dz [2K, B, 4u] of every step from the states' gradients dH [t, ...]. */
function backpropSteps(dH: tf.Tensor, st: Record<string, tf.Tensor>[], rec: tf.Tensor[], dm: Dims): tf.Tensor[] {
  const { k, b, t, u } = dm;
  const rT = rec.map((r) => tr2(r));
  const dzs: tf.Tensor[] = new Array<tf.Tensor>(t);
  let dhCarry: tf.Tensor | null = null;
  let dcCarry: tf.Tensor | null = null;
  for (let s = t - 1; s >= 0; s--) {
    const carried = [dhCarry, dcCarry];
    const out = tf.tidy(() => {
      const dhStep = tf.reshape(takeChunks(dH, s, 1, t), [2 * k, b, u]);
      const dh: tf.Tensor = dhCarry ? tf.add(dhStep, dhCarry) : dhStep;
      const { dz, dc } = stepBackward(dh, dcCarry, st[s], s > 0 ? st[s - 1].c : null, dm);
      const dhPrev = s > 0 ? tf.stack(rT.map((r, c) => mm(tf.reshape(takeChunks(dz, c, 1, 2 * k), [b, 4 * u]), r))) : dz;
      return { dz, dc, dhPrev };
    });
    [dzs[s], dcCarry, dhCarry] = [out.dz, out.dc, s > 0 ? out.dhPrev : null];
    tf.dispose(carried.filter((x): x is tf.Tensor => x !== null));
  }
  return dzs;
}

/** Which gradients an lstmOp call provides: all, or only those of the inputs or the weights. */
export type LstmGrads = 'all' | 'inputs' | 'weights';

const STATE_NAMES = ['i', 'f', 'g', 'o', 'c', 'tc', 'h'];

/**
 * Runs K BiLSTMs (weights per LSTM: fw kernel, recurrent, bias, then bw) on xs[k] [B, t, d] ->
 * [K, B, t, d]. With `grads` 'inputs' the weights are constants of the op (frozen, as in the
 * main step), with 'weights' the inputs are (detached, as in the CLUB step).
 */
export function lstmOp(xs: tf.Tensor3D[], weights: tf.Tensor[], grads: LstmGrads = 'all'): tf.Tensor4D {
  const k = xs.length;
  const [b, t, d] = xs[0].shape;
  const dm: Dims = { k, b, t, d, u: weights[1].shape[0] };
  const wantX = grads !== 'weights';
  const wantW = grads !== 'inputs';
  const nx = wantW ? k : 0; // the inputs are read back only for the weights' gradients
  const f = custom((args, save) => {
    const x = wantX ? args.slice(0, k) : xs;
    const w = wantW ? args.slice(wantX ? k : 0) : weights;
    const j = reversal(t);
    const rec = Array.from({ length: 2 * k }, (_, c) => cellWeights(w, c, k)[1]);
    const steps = runSteps(inputProjections(x, w, dm, j), rec, dm);
    save([...x.slice(0, nx), ...steps.flatMap((st) => STATE_NAMES.map((n) => st[n]))]);
    return {
      value: outputs(steps.map((st) => st.h), dm, j),
      gradFunc: (dy, saved) => {
        const jb = reversal(t);
        const st = Array.from({ length: t }, (_, s) => Object.fromEntries(STATE_NAMES.map((n, i) => [n, saved[nx + s * STATE_NAMES.length + i]])));
        const dzs = backpropSteps(outputGrads(dy, dm, jb), st, rec, dm);
        const hPrev = [tf.zeros([2 * k, b, dm.u]), ...st.slice(0, t - 1).map((x) => x.h)];
        const { dw, dx } = paramGrads(dzs, hPrev, saved.slice(0, nx), w, dm, jb, wantX, wantW);
        return [...(wantX ? dx : []), ...(wantW ? dw : [])];
      },
    };
  });
  return f(...(wantX ? xs : []), ...(wantW ? weights : [])) as tf.Tensor4D;
}
