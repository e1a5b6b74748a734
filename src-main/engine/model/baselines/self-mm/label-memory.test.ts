import { describe, expect, it } from 'vitest';
import { LabelMemory } from './label-memory';

const dims = { fusion: 2, text: 1, audio: 1, vision: 1 };
const feats = (f: number[], t: number[]) => ({ fusion: Float32Array.from(f), text: Float32Array.from(t), audio: Float32Array.from(t), vision: Float32Array.from(t) });

describe('LabelMemory (Self-MM ULGM)', () => {
  it('admits each clip\u2019s human label once, into every task', () => {
    const m = new LabelMemory(3, dims, 3, true);
    m.admit(Int32Array.from([2, 0]), Float32Array.from([1.5, -2]));
    m.admit(Int32Array.from([2]), Float32Array.from([9]));
    expect(Array.from(m.labels.audio)).toEqual([-2, 0, 1.5]);
    expect(Array.from(m.lossWeights('text', Int32Array.from([0, 2])))).toEqual([0, 0]);
  });

  it('centres features by each task\u2019s own labels, leaving zero labels out', () => {
    const m = new LabelMemory(3, dims, 3, true);
    m.admit(Int32Array.from([0, 1, 2]), Float32Array.from([1, -1, 0]));
    m.afterBatch(feats([1, 2, 3, 4, 5, 6], [1, 2, 3]), Int32Array.from([0, 1, 2]), 1);
    expect(Array.from(m.centres.fusion.pos)).toEqual([1, 2]);
    expect(Array.from(m.centres.fusion.neg)).toEqual([3, 4]);
  });

  it('moves unimodal labels from MMSA\u2019s second epoch on, by (n-1)/(n+1) old + 2/(n+1) new, bounded by H', () => {
    const m = new LabelMemory(2, dims, 3, true);
    const idx = Int32Array.from([0, 1]);
    m.admit(idx, Float32Array.from([2, -2]));
    m.afterBatch(feats([1, 0, -1, 0], [1, -1]), idx, 1);
    expect(Array.from(m.labels.text)).toEqual([2, -2]);
    // clip 0's text feature sits on the negative centre: delta_s = (0 - 2) / 2 = -1; its fusion
    // feature on the positive one: delta_f = 2 / 1e-8, so alpha ~ 0 and new ~ 0.5 (2 - 1 - 2e8) -> -3
    m.afterBatch(feats([1, 0, -1, 0], [-1, -1]), idx, 2);
    expect(m.labels.text[0]).toBeCloseTo((1 / 3) * 2 + (2 / 3) * -3, 5);
    expect(m.labels.fusion[0]).toBe(2);
  });
});
