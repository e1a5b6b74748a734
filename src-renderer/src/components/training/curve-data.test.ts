import { describe, expect, it } from 'vitest';
import { epochRecord, terms } from '../../../../testing/renderer/fake-training';
import { downsample, LOSS_TERMS, metricCurve, reportedTerms, StepBuffer, validCurve } from './curve-data';

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

  it("draws DAR's terms in the spec's order and another model's own terms between task and sel", () => {
    const b = new StepBuffer();
    b.push(0.5, terms(1));
    expect(reportedTerms(b.view(), [])).toEqual(LOSS_TERMS);
    b.reset(null);
    b.push(0.5, { task: 1, total: 2, sel: 3, recon_misa: 4, cmd: 5 });
    expect(reportedTerms(b.view(), []).map((t) => [t.key, t.label])).toEqual([
      ['task', 'L_task'],
      ['recon_misa', 'L_recon_misa'],
      ['cmd', 'L_cmd'],
      ['sel', 'L_sel'],
      ['total', 'L_total'],
    ]);
    expect(reportedTerms({ x: new Float32Array(0), terms: {} }, [epochRecord(0, 1)]).map((t) => t.key)).toEqual(LOSS_TERMS.map((t) => t.key));
  });

  it('gives a term that appears mid-run NaN for the steps before it', () => {
    const b = new StepBuffer();
    b.push(0.1, { task: 1, total: 1, sel: 1 });
    b.push(0.2, { task: 2, total: 2, sel: 2, extra: 9 });
    expect(Array.from(b.view().terms.extra)).toEqual([Number.NaN, 9]);
    expect(Array.from(b.view().terms.task)).toEqual([1, 2]);
  });
});
