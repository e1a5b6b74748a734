import { describe, expect, it } from 'vitest';
import type { ModalityMask } from '#contract/api';
import { tinyDataset } from '../../../testing/engine/tiny-dataset';
import { frameSpans } from './clip-detail';
import { maskToSegments, randomFrameMasks, randomWorkbenchMask, workbenchFrameMasks } from './workbench-masks';

const split = tinyDataset({ n: { train: 40, valid: 1, test: 1 }, dims: { l: 4, a: 3, v: 2 }, seqLen: { l: 12, a: 200, v: 160 } }).splits.train;
const none: ModalityMask = { segments: [], whole: false };
const DURATION = 4;

describe('workbench masks', () => {
  it('masks every valid frame of a whole modality but text [CLS] and [SEP], never padding', () => {
    const masks = workbenchFrameMasks(split, 0, { l: { segments: [], whole: true }, a: { segments: [], whole: true }, v: none }, DURATION);
    const len = split.lengths.l[0];
    expect(masks.l[0]).toBe(0);
    expect(masks.l[len - 1]).toBe(0);
    expect(Array.from(masks.l.subarray(1, len - 1)).every((x) => x === 1)).toBe(true);
    expect(Array.from(masks.l.subarray(len)).every((x) => x === 0)).toBe(true);
    const la = split.lengths.a[0];
    expect(masks.a.subarray(0, la).every((x) => x === 1) && masks.a.subarray(la).every((x) => x === 0)).toBe(true);
    expect(masks.v.every((x) => x === 0)).toBe(true);
  });

  it('masks the frames a segment overlaps', () => {
    const len = split.lengths.a[0];
    const masks = workbenchFrameMasks(split, 0, { l: none, a: { segments: [{ start: 0, end: DURATION / 2 }], whole: false }, v: none }, DURATION);
    const masked = masks.a.reduce((s, x) => s + x, 0);
    expect(masked).toBeGreaterThanOrEqual(Math.floor(len / 2));
    expect(masked).toBeLessThanOrEqual(Math.ceil(len / 2) + 1);
    expect(masks.a[0]).toBe(1);
    expect(masks.a[len - 1]).toBe(0);
  });

  it('draws the operator at about rate r over many clips, reproducibly per seed', () => {
    let masked = 0;
    let valid = 0;
    for (let i = 0; i < split.n; i++) {
      const m = randomFrameMasks(split, 'train', i, 0.3, 11);
      valid += split.lengths.a[i];
      masked += m.a.reduce((s, x) => s + x, 0);
      expect(m.a.subarray(split.lengths.a[i]).every((x) => x === 0)).toBe(true);
      expect(m.l[0] + m.l[split.lengths.l[i] - 1]).toBe(0);
    }
    expect(masked / valid).toBeGreaterThan(0.27);
    expect(masked / valid).toBeLessThan(0.33);
    expect(randomFrameMasks(split, 'train', 3, 0.3, 11)).toEqual(randomFrameMasks(split, 'train', 3, 0.3, 11));
    expect(randomFrameMasks(split, 'train', 3, 0.3, 11).a).not.toEqual(randomFrameMasks(split, 'train', 3, 0.3, 12).a);
    expect(randomFrameMasks(split, 'train', 3, 0.3, 11).a).not.toEqual(randomFrameMasks(split, 'train', 4, 0.3, 11).a);
  });

  it('turns each run of masked frames into one segment that masks the same frames again', () => {
    const spans = Float32Array.of(0, 1, 1, 2, 2, 3, 3, 4, 4, 5);
    expect(maskToSegments(Uint8Array.of(1, 1, 0, 1, 0), 5, spans)).toEqual([{ start: 0, end: 2 }, { start: 3, end: 4 }]);
    expect(maskToSegments(Uint8Array.of(0, 0, 0, 0, 1, 1), 5, spans)).toEqual([{ start: 4, end: 5 }]);
    const random = randomWorkbenchMask(split, 'train', 5, 0.4, 3, DURATION);
    const again = workbenchFrameMasks(split, 5, random, DURATION);
    const frames = randomFrameMasks(split, 'train', 5, 0.4, 3);
    expect(Array.from(again.a)).toEqual(Array.from(frames.a));
    expect(Array.from(again.v)).toEqual(Array.from(frames.v));
    expect(random.a.segments.length).toBeGreaterThan(1);
    expect(frameSpans(split, 'a', 5, DURATION)[1]).toBeCloseTo(DURATION / split.lengths.a[5], 6);
  });
});
