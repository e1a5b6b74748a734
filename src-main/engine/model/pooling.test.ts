import { describe, expect, it } from 'vitest';
import { binRange, binsTouched, frameBin, poolingMatrix } from './pooling';

/** Row k of one clip's pooling matrix as a list of [frame, weight] with non-zero weight. */
function rows(lengths: number[], t: number, T: number, clip = 0): [number, number][][] {
  const p = poolingMatrix(Int32Array.from(lengths), t, T);
  return Array.from({ length: t }, (_, k) => {
    const out: [number, number][] = [];
    for (let i = 0; i < T; i++) {
      const w = p[(clip * t + k) * T + i];
      if (w !== 0) out.push([i, w]);
    }
    return out;
  });
}

describe('poolingMatrix', () => {
  it('averages frames floor(i t / L) into bins when L > t', () => {
    // L = 10, t = 4: bins {0,1,2}, {3,4}, {5,6,7}, {8,9}
    expect(rows([10], 4, 12)).toEqual([
      [[0, 1 / 3], [1, 1 / 3], [2, 1 / 3]].map(([i, w]) => [i, Math.fround(w)]),
      [[3, 0.5], [4, 0.5]],
      [[5, 1 / 3], [6, 1 / 3], [7, 1 / 3]].map(([i, w]) => [i, Math.fround(w)]),
      [[8, 0.5], [9, 0.5]],
    ]);
  });

  it('maps one frame per bin when L = t', () => {
    expect(rows([4], 4, 6)).toEqual([[[0, 1]], [[1, 1]], [[2, 1]], [[3, 1]]]);
  });

  it('copies frame floor(k L / t) into empty bins when L < t', () => {
    // L = 3, t = 8: frames go to bins 0, 2, 5; bins 1,3,4,6,7 copy frames 0,1,1,2,2
    expect(rows([3], 8, 5).map((r) => r.map(([i]) => i))).toEqual([[0], [0], [1], [1], [1], [2], [2], [2]]);
    expect(rows([3], 8, 5).every((r) => r.length === 1 && r[0][1] === 1)).toBe(true);
  });

  it('repeats the single frame when L = 1', () => {
    expect(rows([1], 4, 3)).toEqual([[[0, 1]], [[0, 1]], [[0, 1]], [[0, 1]]]);
  });

  it('uses every frame when L = T and none of the padding otherwise', () => {
    const full = rows([12], 4, 12).flat().map(([i]) => i);
    expect(full).toEqual(Array.from({ length: 12 }, (_, i) => i));
    const part = rows([12, 5], 4, 12, 1).flat().map(([i]) => i);
    expect(Math.max(...part)).toBe(4);
  });

  it('leaves every bin 0 for an empty clip and rows sum to 1 otherwise', () => {
    const p = poolingMatrix(Int32Array.from([0, 7]), 4, 9);
    expect(p.subarray(0, 36).every((w) => w === 0)).toBe(true);
    for (let k = 0; k < 4; k++) {
      const sum = p.subarray(36 + k * 9, 36 + (k + 1) * 9).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(1, 6);
    }
  });

  it('refuses a length outside 0..T', () => {
    expect(() => poolingMatrix(Int32Array.from([10]), 4, 9)).toThrow(/length of sample 0 must be in 0..9, got 10/);
  });
});

describe('binRange', () => {
  it('agrees with frameBin on bin ranges', () => {
    for (const len of [1, 5, 16, 17, 50, 375]) {
      for (let k = 0; k < 16; k++) {
        const [s, e] = binRange(k, len, 16);
        for (let i = s; i < e; i++) expect(frameBin(i, len, 16)).toBe(k);
      }
    }
  });
});

describe('binsTouched', () => {
  it('marks the bins whose frames are masked', () => {
    const mask = Uint8Array.from([0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 1]);
    // L = 10, t = 4: bins {0,1,2}, {3,4}, {5,6,7}, {8,9}; frames 10, 11 are padding
    expect(binsTouched(mask, 10, 4)).toEqual([false, true, false, true]);
  });

  it('marks an empty bin whose copied frame is masked (L < t)', () => {
    // L = 3, t = 8: bins 0..7 read frames 0,0,1,1,1,2,2,2
    expect(binsTouched(Uint8Array.from([0, 1, 0]), 3, 8)).toEqual([false, false, true, true, true, false, false, false]);
  });

  it('touches nothing for an empty clip or an empty mask', () => {
    expect(binsTouched(Uint8Array.from([1, 1]), 0, 4)).toEqual([false, false, false, false]);
    expect(binsTouched(new Uint8Array(9), 9, 4)).toEqual([false, false, false, false]);
  });
});
