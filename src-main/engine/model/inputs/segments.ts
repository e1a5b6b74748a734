/**
 * The relative-time pooling (pooling.ts) of per-frame conv rows into bin rows as segment lists,
 * the operands of tf.sparse.sparseSegmentMean (forward) and sparseSegmentSum (backward): C++
 * kernels on WASM, with no [B, t, T] matrix and no batched matMul. Pure JS, typed arrays.
 */
import { binRange } from '../pooling';

/** Segment lists of one modality's pooling. */
export interface PoolSegments {
  /** Forward: conv row and bin row of every pooled frame, sorted by bin row. */
  fwdIdx: Int32Array;
  fwdSeg: Int32Array;
  /** The last entry reads an extra zero row (index = conv rows) so that every bin row exists. */
  padFwd: boolean;
  /** Backward: the same pairs swapped (bin row, conv row), sorted by conv row. */
  bwdIdx: Int32Array;
  bwdSeg: Int32Array;
  /** The last entry reads an extra zero row (index = bin rows) so that every conv row exists. */
  padBwd: boolean;
  /** 1 / frames per bin row ([branches * size * t]; 0 for an empty bin). */
  invCount: Float32Array;
}

/**
 * Pooling of `rows` conv rows into branches * size * t bin rows (bin k of clip b of branch br at
 * (br * size + b) * t + k); rowOf(br, b, i) is the conv row of valid frame i. An empty bin
 * (len < t) takes frame floor(k len / t), as the spec says; a clip of length 0 pools to zeros.
 */
export function poolSegments(lengths: Int32Array, t: number, branches: number, rows: number, rowOf: (br: number, b: number, i: number) => number): PoolSegments {
  const size = lengths.length;
  const nBins = branches * size * t;
  // a clip of length len > 0 has max(len, t) entries: every frame once, plus a copy per empty bin
  let entries = 0;
  for (const len of lengths) entries += len > 0 ? Math.max(len, t) : 0;
  entries *= branches;
  const padFwd = entries === 0 || lastBin(lengths, t) < size * t - 1;
  const frames = new Int32Array(entries + (padFwd ? 1 : 0));
  const bins = new Int32Array(frames.length);
  const counts = new Int32Array(nBins);
  let e = 0;
  for (let br = 0; br < branches; br++) {
    for (let b = 0; b < size; b++) {
      const len = lengths[b];
      if (len === 0) continue;
      for (let k = 0; k < t; k++) {
        const bin = (br * size + b) * t + k;
        let [start, end] = binRange(k, len, t);
        if (start === end) [start, end] = [Math.floor((k * len) / t), Math.floor((k * len) / t) + 1];
        for (let i = start; i < end; i++, e++) [frames[e], bins[e]] = [rowOf(br, b, i), bin];
        counts[bin] = end - start;
      }
    }
  }
  if (padFwd) [frames[e], bins[e]] = [rows, nBins - 1];
  const { bwdIdx, bwdSeg, padBwd } = byRow(frames.subarray(0, entries), bins, rows, nBins);
  return { fwdIdx: frames, fwdSeg: bins, padFwd, bwdIdx, bwdSeg, padBwd, invCount: Float32Array.from(counts, (c) => (c ? 1 / c : 0)) };
}

/** Last bin (of one branch) that has a frame: bins of the last clip with a non-zero length. */
function lastBin(lengths: Int32Array, t: number): number {
  for (let b = lengths.length - 1; b >= 0; b--) if (lengths[b] > 0) return b * t + t - 1;
  return -1;
}

/** The (bin, row) pairs sorted by row (a counting sort), padded with an entry for the last row if it has none. */
function byRow(frames: Int32Array, bins: Int32Array, rows: number, nBins: number): { bwdIdx: Int32Array; bwdSeg: Int32Array; padBwd: boolean } {
  const n = frames.length;
  const start = new Int32Array(rows + 1);
  for (let e = 0; e < n; e++) start[frames[e] + 1]++;
  for (let r = 0; r < rows; r++) start[r + 1] += start[r];
  const padBwd = n === 0 || start[rows - 1] === n;
  const bwdIdx = new Int32Array(n + (padBwd ? 1 : 0));
  const bwdSeg = new Int32Array(bwdIdx.length);
  const next = start.slice(0, rows);
  for (let e = 0; e < n; e++) {
    const at = next[frames[e]]++;
    [bwdIdx[at], bwdSeg[at]] = [bins[e], frames[e]];
  }
  if (padBwd) [bwdIdx[n], bwdSeg[n]] = [nBins, rows - 1];
  return { bwdIdx, bwdSeg, padBwd };
}
