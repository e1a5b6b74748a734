import { describe, it, expect } from 'vitest';
import type { Modality, SeqTensor, SplitData } from '#contract/dataset';
import { trainingMasks } from '../data/corruption';
import { createRng } from '../rng';
import { batches, buildBatch, epochOrder } from './batcher';
import type { BatchMasks } from './batcher';

const T: Record<Modality, number> = { l: 6, a: 8, v: 5 };
const D: Record<Modality, number> = { l: 3, a: 2, v: 4 };
const LENGTHS: Record<Modality, number[]> = { l: [6, 4, 3, 5], a: [2, 7, 3, 1], v: [5, 5, 0, 2] };

/** Value of clip i, frame j, dim k; padding holds junk (-99) to prove it is not copied. */
function value(m: Modality, i: number, j: number, k: number): number {
  if (j >= LENGTHS[m][i]) return -99;
  return 1000 * ['l', 'a', 'v'].indexOf(m) + 100 * i + 10 * j + k + 1;
}

function seq(m: Modality, n: number): SeqTensor {
  const [t, d] = [T[m], D[m]];
  const data = new Float32Array(n * t * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < t; j++) for (let k = 0; k < d; k++) data[(i * t + j) * d + k] = value(m, i, j, k);
  return { data, n, t, d };
}

function split(): SplitData {
  const n = 4;
  return {
    n,
    ids: ['v$_$0', 'v$_$1', 'w$_$0', 'w$_$1'],
    labels: new Float32Array([-3, 0.5, 1.2, 2.8]),
    rawText: ['', '', '', ''],
    l: seq('l', n),
    a: seq('a', n),
    v: seq('v', n),
    lengths: { l: Int32Array.from(LENGTHS.l), a: Int32Array.from(LENGTHS.a), v: Int32Array.from(LENGTHS.v) },
  };
}

/** Clip 1: l frames 1, 2 and a frames 0, 6 masked; clip 3: v frame 1 masked. */
function masks(): BatchMasks {
  const make = (m: Modality, masked: Record<number, number[]>) =>
    Array.from({ length: 4 }, (_, i) => {
      const mask = new Uint8Array(T[m]);
      for (const j of masked[i] ?? []) mask[j] = 1;
      return mask;
    });
  return { l: make('l', { 1: [1, 2] }), a: make('a', { 1: [0, 6] }), v: make('v', { 3: [1] }) };
}

describe('buildBatch', () => {
  const s = split();
  const batch = buildBatch(s, [3, 1], masks());

  it('trims each modality to the longest valid length in the batch', () => {
    expect(batch.size).toBe(2);
    expect([batch.modalities.l.t, batch.modalities.a.t, batch.modalities.v.t]).toEqual([5, 7, 5]);
    expect(Array.from(batch.modalities.a.lengths)).toEqual([1, 7]);
    expect(batch.modalities.a.complete.length).toBe(2 * 7 * 2);
  });

  it('puts every valid value at [b, j, k] of complete and zeroes the padding', () => {
    for (const m of ['l', 'a', 'v'] as const) {
      const { complete, t, d, lengths } = batch.modalities[m];
      [3, 1].forEach((clip, b) => {
        for (let j = 0; j < t; j++) {
          for (let k = 0; k < d; k++) {
            const want = j < lengths[b] ? value(m, clip, j, k) : 0;
            expect(complete[(b * t + j) * d + k]).toBe(want);
          }
        }
      });
    }
  });

  it('zeroes masked frames only in corrupted and reports the masks in batch layout', () => {
    const a = batch.modalities.a;
    const masked = new Set([7 + 0, 7 + 6]); // b = 1 (clip 1), frames 0 and 6
    for (let p = 0; p < 2 * 7; p++) {
      expect(a.masks[p]).toBe(masked.has(p) ? 1 : 0);
      for (let k = 0; k < 2; k++) {
        const i = p * 2 + k;
        expect(a.corrupted[i]).toBe(masked.has(p) ? 0 : a.complete[i]);
        if (masked.has(p)) expect(a.complete[i]).not.toBe(0);
      }
    }
    expect(Array.from(batch.modalities.l.masks)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 0, 0]);
    expect(Array.from(batch.modalities.v.masks)).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('carries labels and split indices', () => {
    expect(Array.from(batch.labels!)).toEqual([Math.fround(2.8), 0.5]);
    expect(Array.from(batch.indices)).toEqual([3, 1]);
  });

  it('keeps at least one (zero) frame when every clip of a modality is empty, and no masks means clean', () => {
    const b = buildBatch(s, [2]);
    expect(b.modalities.v.t).toBe(1);
    expect(Array.from(b.modalities.v.complete)).toEqual([0, 0, 0, 0]);
    expect(Array.from(b.modalities.l.corrupted)).toEqual(Array.from(b.modalities.l.complete));
    expect(b.modalities.l.masks.every((x) => x === 0)).toBe(true);
  });

  it('takes the masks of the corruption operator as they come', () => {
    const m = trainingMasks(s, { k: { l: 0.5, a: 0.5, v: 0.5 }, mode: 'fixed' }, 1111, 0);
    const b = buildBatch(s, [0, 1, 2, 3], m);
    for (const mod of ['l', 'a', 'v'] as const) {
      const { corrupted, complete, masks: bm, t, d } = b.modalities[mod];
      let zeroed = 0;
      for (let p = 0; p < 4 * t; p++) if (complete[p * d] !== 0 && corrupted[p * d] === 0) zeroed++;
      expect(zeroed).toBe(bm.reduce((x, y) => x + y, 0));
      expect(bm.reduce((x, y) => x + y, 0)).toBe(m[mod].reduce((x, mask) => x + mask.reduce((u, v) => u + v, 0), 0));
    }
  });

  it('refuses out-of-range indices and masks of the wrong count', () => {
    expect(() => buildBatch(s, [4])).toThrow(/batch index 4: expected 0\.\.3/);
    const bad = masks();
    bad.a = bad.a.slice(0, 3);
    expect(() => buildBatch(s, [0], bad)).toThrow(/a masks: expected 4 \(one per clip\), got 3/);
  });
});

describe('epoch order and batches', () => {
  it('shuffles a permutation reproducibly from the generator', () => {
    const a = epochOrder(50, createRng(1111, 3));
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(epochOrder(50, createRng(1111, 3)))).toEqual(Array.from(a));
    expect(Array.from(epochOrder(50, createRng(1111, 4)))).not.toEqual(Array.from(a));
  });

  it('cuts consecutive batches and keeps the last partial one', () => {
    const order = Int32Array.from([4, 2, 0, 1, 3, 6, 5]);
    expect(batches(order, 3).map((b) => Array.from(b))).toEqual([[4, 2, 0], [1, 3, 6], [5]]);
    expect(batches(order, 7)).toHaveLength(1);
    expect(batches(new Int32Array(0), 3)).toEqual([]);
    expect(() => batches(order, 0)).toThrow(/batch size/);
  });
});
