import { describe, expect, it } from 'vitest';
import { epochRecord, terms } from '../../../../testing/renderer/fake-training';
import { downsample, metricCurve, StepBuffer, validCurve } from './curve-data';

describe('the training curves as points', () => {
  it('caps a long step curve at the point budget with bucket means', () => {
    const n = 10_000;
    const xs = Float32Array.from({ length: n }, (_, i) => i);
    const ys = Float32Array.from({ length: n }, (_, i) => i % 2);
    const pts = downsample(xs, ys, 300);
    expect(pts.length).toBeLessThanOrEqual(300);
    expect(pts.length).toBeGreaterThan(250);
    for (const [, y] of pts) expect(y).toBeCloseTo(0.5, 1);
    expect(pts[0][0]).toBeLessThan(pts.at(-1)![0]);
  });

  it('keeps short curves point for point and skips non-finite values', () => {
    const pts = downsample(Float32Array.from([0.5, 1, 1.5]), Float32Array.from([3, Number.NaN, 2]), 300);
    expect(pts).toEqual([
      [0.5, 3],
      [1.5, 2],
    ]);
  });

  it('puts each epoch record at the end of its epoch and leaves undefined metrics out', () => {
    const h = [epochRecord(0, 2), epochRecord(1, 1.5)];
    h[0].validMetrics.Corr = null;
    expect(validCurve(h, 'sel')).toEqual([
      [1, 2],
      [2, 1.5],
    ]);
    expect(metricCurve(h, 'Corr')).toEqual([[2, 1.5]]);
  });

  it('grows the step buffer past its first capacity and starts over from a snapshot', () => {
    const b = new StepBuffer();
    for (let i = 0; i < 1000; i++) b.push(i / 10, terms(i));
    expect(b.length).toBe(1000);
    expect(b.view().terms.club[999]).toBe(999);
    b.reset({ x: Float32Array.from([0.5]), terms: { ...Object.fromEntries(Object.keys(terms(0)).map((k) => [k, Float32Array.from([7])])) } as never });
    expect(b.length).toBe(1);
    expect(b.view().terms.task[0]).toBe(7);
    b.reset(null);
    expect(b.view().x.length).toBe(0);
  });
});
