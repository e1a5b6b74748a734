import { describe, it, expect } from 'vitest';
import type { Dataset, SplitData } from '#contract/dataset';
import { stats, summarizeDataset } from './inspect';

function split(n: number, nonfinite?: SplitData['nonfinite']): SplitData {
  const tensor = (t: number, d: number) => ({ data: new Float32Array(n * t * d), n, t, d });
  return {
    n,
    ids: Array.from({ length: n }, (_, i) => `v$_$${i}`),
    labels: Float32Array.from({ length: n }, (_, i) => i - 1),
    rawText: Array.from({ length: n }, () => 'x'),
    l: tensor(4, 3),
    a: tensor(6, 2),
    v: tensor(5, 1),
    lengths: { l: Int32Array.from({ length: n }, (_, i) => i + 1), a: new Int32Array(n).fill(6), v: new Int32Array(n).fill(2) },
    nonfinite,
  };
}

const dataset: Dataset = {
  info: {
    format: 'clip-folder',
    path: '/x',
    name: 'x',
    dims: { l: 3, a: 2, v: 1 },
    seqLen: { l: 4, a: 6, v: 5 },
    aligned: false,
    nonfinite: { l: 0, a: 3, v: 0 },
    synthetic: false,
    warnings: [],
  },
  splits: { train: split(3, { l: 0, a: 3, v: 0 }), valid: split(2), test: split(1) },
};

describe('summarizeDataset', () => {
  it('reports shapes, length and label statistics and per-split non-finite counts', () => {
    const s = summarizeDataset(dataset);
    expect(s.format).toBe('clip-folder');
    expect(s.splits.train).toEqual({
      n: 3,
      text: [3, 4, 3],
      audio: [3, 6, 2],
      vision: [3, 5, 1],
      lengths: { l: { min: 1, max: 3, mean: 2 }, a: { min: 6, max: 6, mean: 6 }, v: { min: 2, max: 2, mean: 2 } },
      labels: { min: -1, max: 1, mean: 0 },
      nonfinite: { l: 0, a: 3, v: 0 },
    });
  });

  it('reports zero non-finite values for readers that do not count them per split', () => {
    expect(summarizeDataset(dataset).splits.valid.nonfinite).toEqual({ l: 0, a: 0, v: 0 });
  });

  it('has exactly the keys `dar inspect --json` documents', () => {
    const s = summarizeDataset(dataset);
    expect(Object.keys(s)).toEqual(['format', 'splits']);
    expect(Object.keys(s.splits)).toEqual(['train', 'valid', 'test']);
    expect(Object.keys(s.splits.test)).toEqual(['n', 'text', 'audio', 'vision', 'lengths', 'labels', 'nonfinite']);
  });
});

describe('stats', () => {
  it('accumulates in float64 and gives zeros for no values', () => {
    expect(stats(Float32Array.of(0.1, 0.2))).toEqual({ min: Math.fround(0.1), max: Math.fround(0.2), mean: (Math.fround(0.1) + Math.fround(0.2)) / 2 });
    expect(stats([])).toEqual({ min: 0, max: 0, mean: 0 });
  });
});
