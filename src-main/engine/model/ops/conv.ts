/**
 * The alignment layer (conv3 -> GELU -> relative-time pooling -> LayerNorm -> + pos) as one
 * differentiable op per input layout (inputs/layout.ts), with gradients only for the parameters
 * (the inputs are data). The per-frame tensors are the largest of the whole model: per frame only
 * GELU's derivative is kept for the backward pass, and temporaries are freed as soon as used.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NarrowInput, SegmentTensors, WideInput } from '../inputs/inputs';
import { geluLean, lnBackward, lnForward, mm, mmBias, recording, rowBlocks, rowSum, segmentSum, takeChunks, takeRows, tr2 } from './kernels';
import { custom } from './ops';

/** The alignment's parameters: conv kernel [3, d_m, d], conv bias [d], LN gamma/beta [d], pos [t, d]. */
export type AlignWeights = [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];

type Save = (tensors: tf.Tensor[]) => void;

/** Segment mean of conv rows into bin rows (the relative-time pooling). */
function pool(y: tf.Tensor, seg: SegmentTensors): tf.Tensor {
  const data = seg.padFwd ? tf.concat([y, tf.zeros([1, (y.shape as number[])[1]])], 0) : y;
  if (tf.getBackend() !== 'webgpu') return tf.sparse.sparseSegmentMean(data, seg.fwdIdx, seg.fwdSeg);
  // WebGPU's SparseSegmentMean reads its ids synchronously (kernels.ts segmentSum): sum, then scale.
  return tf.tidy(() => tf.mul(segmentSum(data, seg.fwdIdx, seg.fwdSeg, seg.invCount.shape[0]), seg.invCount));
}

/** The pooling's gradient: each conv row gets its bins' gradients divided by their counts. */
function unpool(dpooled: tf.Tensor, seg: SegmentTensors, rows: number): tf.Tensor {
  const scaled = tf.mul(dpooled, seg.invCount);
  return segmentSum(seg.padBwd ? tf.concat([scaled, tf.zeros([1, (scaled.shape as number[])[1]])], 0) : scaled, seg.bwdIdx, seg.bwdSeg, rows);
}

// Elementwise chains over the per-frame tensors run block by block: a block's temporaries stay in
// cache (measured 25-35% faster than whole tensors of 20+ MB) and the peak memory drops.
const FRAME_BLOCK = 4096;

/** GELU and (when a tape records) GELU' of the conv rows z [F, d], computed in row blocks. */
function geluRows(z: tf.Tensor): { y: tf.Tensor; grad: tf.Tensor | null } {
  const blocks = rowBlocks(z.shape[0], FRAME_BLOCK);
  if (blocks.length === 1) return geluLean(z, recording());
  const parts = blocks.map(([r0, r1]) => {
    const zb = takeRows(z, r0, r1);
    const out = geluLean(zb, recording());
    zb.dispose();
    return out;
  });
  const join = (xs: tf.Tensor[]) => {
    const all = tf.concat(xs, 0);
    tf.dispose(xs);
    return all;
  };
  return { y: join(parts.map((p) => p.y)), grad: parts[0].grad ? join(parts.map((p) => p.grad!)) : null };
}

/**
 * GELU, pooling, LN and + pos of the conv rows z [F, d] -> [rows / t, t, d]. Saves GELU'(z) and
 * LN's statistics; returns the value and the gradient of z and of [gamma, beta, pos].
 */
function alignTail(z: tf.Tensor, seg: SegmentTensors, w: AlignWeights, save: Save): { value: tf.Tensor; back: (dy: tf.Tensor, saved: tf.Tensor[]) => { dz: tf.Tensor; rest: tf.Tensor[] } } {
  const [t, d] = w[4].shape as number[];
  const { y, grad } = geluRows(z);
  const pooled = pool(y, seg);
  y.dispose();
  const { y: normed, xhat, rstd } = lnForward(pooled, w[2], w[3]);
  save(grad ? [grad, xhat, rstd] : []);
  return {
    value: tf.add(tf.reshape(normed, [-1, t, d]), w[4]),
    back: (dy, [sgrad, sxhat, srstd]) => {
      const dpos = tf.reshape(rowSum(tf.reshape(dy, [-1, t * d])), [t, d]);
      const ln = lnBackward(tf.reshape(dy, [-1, d]), sxhat, srstd, w[2]);
      const frames = unpool(ln.dx, seg, z.shape[0]);
      const dz = tf.mul(frames, sgrad);
      frames.dispose();
      return { dz, rest: [ln.dgamma, ln.dbeta, dpos] };
    },
  };
}

/** Narrow features: z = im2col rows @ kernel (one matMul). Returns [branches * B, t, d]. */
export function narrowAlign(input: NarrowInput, weights: AlignWeights): tf.Tensor3D {
  const { cols, segments } = input;
  const [, dIn, d] = weights[0].shape;
  const f = custom((w, save) => {
    const z = mmBias(cols, tf.reshape(w[0], [3 * dIn, d]), w[1]);
    const { value, back } = alignTail(z, segments, w as AlignWeights, save);
    z.dispose();
    return {
      value,
      gradFunc: (dy, saved) => {
        const { dz, rest } = back(dy, saved);
        // cols^T dz block by block: the matMul repacks its right operand, which is cheap only in cache
        const blocks = rowBlocks(cols.shape[0], FRAME_BLOCK).map(([r0, r1]) => mm(tr2(takeRows(cols, r0, r1)), takeRows(dz, r0, r1)));
        return [tf.reshape(blocks.length === 1 ? blocks[0] : tf.addN(blocks), [3, dIn, d]), rowSum(dz), ...rest];
      },
    };
  });
  return f(...weights) as tf.Tensor3D;
}

/**
 * Wide features: kernel tap k is one matMul on the frame rows shifted by k (three uploaded
 * views); the corrupted branch is the complete one with each tap's masked rows zeroed
 * (masking commutes with the matMul, so the convolution runs once). Returns [branches * B, t, d].
 */
export function wideAlign(input: WideInput, weights: AlignWeights): tf.Tensor3D {
  const { taps, keep, segments } = input;
  const n = taps[0].shape[0];
  const [, dIn, d] = weights[0].shape;
  const f = custom((w, save) => {
    const parts = taps.map((x, k) => mm(x, tf.reshape(takeChunks(w[0], k, 1, 3), [dIn, d])));
    const complete = tf.add(tf.addN(parts), w[1]);
    const z = keep ? tf.concat([tf.add(tf.addN(parts.map((p, k) => tf.mul(p, keep[k]))), w[1]), complete], 0) : complete;
    const { value, back } = alignTail(z, segments, w as AlignWeights, save);
    return {
      value,
      gradFunc: (dy, saved) => {
        const { dz, rest } = back(dy, saved);
        const dzC = keep ? tf.reshape(takeChunks(dz, 0, 1, 2), [n, d]) : null;
        const dzF = keep ? tf.reshape(takeChunks(dz, 1, 1, 2), [n, d]) : dz;
        const grads = [0, 1, 2].map((k) => {
          // both branches read tap k's frames (the corrupted one with its masked rows zeroed)
          const dp = dzC ? tf.add(dzF, tf.mul(dzC, keep![k])) : dzF;
          return mm(tr2(taps[k]), dp);
        });
        return [tf.stack(grads), rowSum(dz), ...rest];
      },
    };
  });
  return f(...weights) as tf.Tensor3D;
}
