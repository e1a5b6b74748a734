import { describe, expect, it } from 'vitest';
import { PeakAccumulator } from './peak-accumulator';

describe('PeakAccumulator', () => {
  it('gives each bucket the min and max of its span, however the samples were chunked', () => {
    const samples = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i / 7) * (i < 500 ? 1 : 0.25));
    const whole = new PeakAccumulator(8);
    whole.push(samples);
    const chunked = new PeakAccumulator(8);
    for (let i = 0; i < samples.length; i += 37) chunked.push(samples.subarray(i, i + 37));
    const a = whole.finish(10);
    expect(chunked.finish(10)).toEqual(a);
    expect(a.max[0]).toBeGreaterThan(0.99);
    expect(a.min[0]).toBeLessThan(-0.99);
    expect(a.max[9]).toBeLessThanOrEqual(0.25);
    expect(a.min[9]).toBeGreaterThanOrEqual(-0.25);
    expect(whole.sampleCount).toBe(1000);
  });

  it('matches a brute-force scan when buckets align with blocks', () => {
    const samples = Float32Array.from({ length: 256 }, (_, i) => ((i * 7919) % 101) / 50 - 1);
    const acc = new PeakAccumulator(4);
    acc.push(samples);
    const { min, max } = acc.finish(16);
    for (let b = 0; b < 16; b++) {
      const span = Array.from(samples.subarray(b * 16, (b + 1) * 16));
      expect(min[b]).toBe(Math.fround(Math.min(...span)));
      expect(max[b]).toBe(Math.fround(Math.max(...span)));
    }
  });

  it('fills more buckets than blocks by repeating blocks, and zeros for no samples', () => {
    const acc = new PeakAccumulator(64);
    acc.push(Float32Array.of(0.5, -0.5, 0.25));
    expect(Array.from(acc.finish(3).max)).toEqual([0.5, 0.5, 0.5]);
    expect(Array.from(new PeakAccumulator(64).finish(4).min)).toEqual([0, 0, 0, 0]);
  });

  it('grows past its initial block capacity', () => {
    const acc = new PeakAccumulator(1);
    acc.push(Float32Array.from({ length: 5000 }, (_, i) => (i === 4999 ? 1 : 0)));
    const { max } = acc.finish(5);
    expect(Array.from(max)).toEqual([0, 0, 0, 0, 1]);
  });
});
