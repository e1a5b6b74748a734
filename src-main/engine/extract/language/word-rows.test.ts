import { describe, expect, it } from 'vitest';
import { meanRowsInto, planWindows, poolWindow } from './word-rows';

describe('planWindows', () => {
  it('reads a transcript that fits in one pass, owned entirely by it', () => {
    const plan = planWindows([1, 3, 2], 6);
    expect(plan.windows).toEqual([{ first: 0, end: 3 }]);
    expect([...plan.owner]).toEqual([0, 0, 0]);
  });

  it('plans one pass for an empty transcript ([CLS] [SEP] only)', () => {
    expect(planWindows([], 510)).toEqual({ windows: [{ first: 0, end: 0 }], owner: new Int32Array(0) });
  });

  it('splits a long transcript into half-overlapping windows of whole words within the limit', () => {
    const counts = Array.from({ length: 40 }, (_, i) => 1 + (i % 3));
    const plan = planWindows(counts, 10);
    expect(plan.windows.length).toBeGreaterThan(4);
    expect(plan.windows[0].first).toBe(0);
    expect(plan.windows.at(-1)!.end).toBe(40);
    for (const [k, w] of plan.windows.entries()) {
      expect(counts.slice(w.first, w.end).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(10);
      if (k > 0) {
        const prev = plan.windows[k - 1];
        expect(w.first).toBeGreaterThan(prev.first);
        expect(w.first).toBeLessThan(prev.end); // overlapping: no word lacks left context
      }
    }
  });

  it('gives every word to a window holding it, furthest from an edge, in reading order', () => {
    const counts = Array.from({ length: 30 }, () => 1);
    const plan = planWindows(counts, 8);
    for (let w = 0; w < 30; w++) {
      const win = plan.windows[plan.owner[w]];
      expect(w).toBeGreaterThanOrEqual(win.first);
      expect(w).toBeLessThan(win.end);
      if (w > 0) expect(plan.owner[w]).toBeGreaterThanOrEqual(plan.owner[w - 1]);
    }
    // A word in the middle of the transcript has context on both sides in its window.
    const win = plan.windows[plan.owner[15]];
    expect(Math.min(15 - win.first, win.end - 1 - 15)).toBeGreaterThanOrEqual(2);
  });

  it('still moves on when single words fill a window', () => {
    const plan = planWindows([4, 4, 4], 4);
    expect(plan.windows).toEqual([{ first: 0, end: 1 }, { first: 1, end: 2 }, { first: 2, end: 3 }]);
    expect([...plan.owner]).toEqual([0, 1, 2]);
  });
});

describe('pooling', () => {
  it('averages a word\'s piece rows', () => {
    const out = new Float32Array(4);
    meanRowsInto(out, 1, Float32Array.from([1, 2, 3, 4, 5, 9]), 0, 3, 2);
    expect([...out]).toEqual([0, 0, 3, 5]);
  });

  it('maps [CLS], each word\'s pieces and [SEP] of one pass to rows', () => {
    // dim 1: hidden rows are [CLS]=10, w0 pieces 1 and 3, w1 piece 7, [SEP]=20.
    const counts = [2, 1];
    const plan = planWindows(counts, 10);
    const out = new Float32Array(4);
    poolWindow(out, Float32Array.from([10, 1, 3, 7, 20]), 1, counts, plan, 0);
    expect([...out]).toEqual([10, 2, 7, 20]);
  });

  it('takes [CLS] from the first window, [SEP] from the last, each word from its owner', () => {
    const counts = [1, 1, 1, 1, 1, 1];
    const plan = planWindows(counts, 4);
    const out = new Float32Array(8).fill(NaN);
    plan.windows.forEach((win, k) => {
      // Each window's rows say which window and which word they came from: 100k + word.
      const hidden = [-1 - k, ...Array.from({ length: win.end - win.first }, (_, i) => 100 * k + win.first + i), 1000 + k];
      poolWindow(out, Float32Array.from(hidden), 1, counts, plan, k);
    });
    expect(out[0]).toBe(-1);
    expect(out[7]).toBe(1000 + plan.windows.length - 1);
    for (let w = 0; w < 6; w++) expect(out[w + 1]).toBe(100 * plan.owner[w] + w);
  });
});
