import { describe, expect, it } from 'vitest';
import { tinyDataset } from '../../../testing/engine/tiny-dataset';
import { clipDuration, clipTokens, frameIntensity, frameSpans } from './clip-detail';

const split = tinyDataset({ n: { train: 3, valid: 1, test: 1 }, dims: { l: 4, a: 3, v: 2 }, seqLen: { l: 6, a: 50, v: 8 } }).splits.train;

describe('clip details for the workbench', () => {
  it('labels tokens [CLS] words [SEP] when the counts match, else generically', () => {
    expect(clipTokens('the  movie was fine', 6)).toEqual(['[CLS]', 'the', 'movie', 'was', 'fine', '[SEP]']);
    expect(clipTokens("it's fine", 5)).toEqual(['[CLS]', '#1', '#2', '#3', '[SEP]']);
    expect(clipTokens('', 1)).toEqual(['[CLS]']);
  });

  it('takes the duration from timing, else 1 s per 25 acoustic frames', () => {
    expect(clipDuration(split, 0)).toBeCloseTo(split.lengths.a[0] / 25, 6);
    const timed = { ...split, timing: [{ duration: 3.5, spans: { l: null, a: null, v: null } }] };
    expect(clipDuration(timed, 0)).toBe(3.5);
  });

  it('spreads frames without spans uniformly over the duration and keeps own spans', () => {
    const n = split.lengths.v[0];
    const spans = frameSpans(split, 'v', 0, 2);
    expect(spans.length).toBe(2 * n);
    expect(spans[0]).toBe(0);
    expect(spans[2 * n - 1]).toBeCloseTo(2, 6);
    expect(spans[2]).toBeCloseTo(spans[1], 6);
    const own = Float32Array.from({ length: 2 * n }, (_, k) => k / 10);
    const timed = { ...split, timing: [{ duration: 9, spans: { l: null, a: null, v: own } }] };
    expect(Array.from(frameSpans(timed, 'v', 0, 9))).toEqual(Array.from(own));
  });

  it('scales per-frame L2 norms of the normalised features to a maximum of 1', () => {
    const stats = { mean: [0, 0, 0], std: [1, 1, 1] };
    const raw = frameIntensity(split, 'a', 1, stats);
    expect(raw.length).toBe(split.lengths.a[1]);
    expect(Math.max(...raw)).toBeCloseTo(1, 6);
    const { t, d, data } = split.a;
    const norms = Array.from({ length: raw.length }, (_, j) => Math.hypot(...data.subarray((1 * t + j) * d, (1 * t + j + 1) * d)));
    const max = Math.max(...norms);
    norms.forEach((x, j) => expect(raw[j]).toBeCloseTo(x / max, 5));
  });
});
