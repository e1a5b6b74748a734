import { describe, expect, it } from 'vitest';
import { poolSegments } from './segments';
import { poolingMatrix } from '../pooling';

describe('poolSegments', () => {
  const lengths = Int32Array.from([0, 1, 3, 8, 13, 16, 21]);
  const t = 8;
  const T = 21;
  // two branches, clip b's frame i at row (br * 7 + b) * T + i: the dense layout of poolingMatrix
  const rows = 2 * lengths.length * T;
  const seg = poolSegments(lengths, t, 2, rows, (br, b, i) => (br * lengths.length + b) * T + i);

  it('holds exactly the weights of poolingMatrix, as a segment mean', () => {
    const dense = poolingMatrix(lengths, t, T);
    const rebuilt = new Float32Array(2 * dense.length);
    const count = new Map<number, number>();
    seg.fwdSeg.forEach((bin) => count.set(bin, (count.get(bin) ?? 0) + 1));
    seg.fwdIdx.forEach((row, e) => {
      if (row === rows) return; // the padding entry reads the extra zero row
      const bin = seg.fwdSeg[e];
      rebuilt[bin * T + (row % T)] += 1 / count.get(bin)!;
      expect(seg.invCount[bin]).toBeCloseTo(1 / count.get(bin)!, 6);
    });
    expect(Array.from(rebuilt.subarray(0, dense.length)).map((v) => Math.fround(v))).toEqual(Array.from(dense));
    expect(Array.from(rebuilt.subarray(dense.length))).toEqual(Array.from(rebuilt.subarray(0, dense.length)));
    expect(seg.fwdSeg.every((bin, e) => e === 0 || bin >= seg.fwdSeg[e - 1])).toBe(true);
  });

  it('lists the backward pairs by conv row and pads both lists so that every row exists', () => {
    expect(seg.bwdSeg.every((row, e) => e === 0 || row >= seg.bwdSeg[e - 1])).toBe(true);
    const pairs = (idx: Int32Array, sg: Int32Array) => Array.from(idx, (v, e) => `${v}:${sg[e]}`).sort();
    const fwd = pairs(seg.fwdIdx, seg.fwdSeg).filter((p) => !p.startsWith(`${rows}:`));
    const bwd = pairs(seg.bwdSeg, seg.bwdIdx).filter((p) => !p.endsWith(`:${2 * lengths.length * t}`));
    expect(bwd).toEqual(fwd);
    // the last clip fills its last bin and its last frame is the last row: nothing to pad
    expect([seg.padFwd, seg.padBwd]).toEqual([false, false]);
    // an empty last clip leaves bins 4..7 and rows 4..7 unreferenced: both lists get a padding entry
    const empty = poolSegments(Int32Array.from([4, 0]), 4, 1, 8, (_br, b, i) => b * 4 + i);
    expect([empty.padFwd, empty.padBwd]).toEqual([true, true]);
    expect([empty.fwdIdx.at(-1), empty.fwdSeg.at(-1)]).toEqual([8, 7]);
    expect([empty.bwdIdx.at(-1), empty.bwdSeg.at(-1)]).toEqual([8, 7]);
  });
});
