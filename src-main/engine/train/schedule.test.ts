import { describe, it, expect } from 'vitest';
import { epochLr, warmupEpochs } from './schedule';

describe('warm-up length', () => {
  it.each([
    [1, 1],
    [4, 1],
    [5, 1],
    [10, 1],
    [15, 2],
    [25, 2],
    [35, 4],
    [50, 5],
    [100, 10],
  ])('is max(1, round-half-even(0.1 x %i)) = %i', (epochs, w) => {
    expect(warmupEpochs(epochs)).toBe(w);
  });
});

describe('per-epoch learning rate', () => {
  const lr = 1e-4;

  it.each([
    [0, lr / 10],
    [4, lr / 2],
    [9, lr],
    [10, lr],
    [55, lr / 2],
    [99, (lr * (1 + Math.cos((Math.PI * 89) / 90))) / 2],
  ])('epochs 100, e = %i -> %f', (e, want) => {
    expect(epochLr(lr, e, 100)).toBeCloseTo(want, 15);
  });

  it('rises during warm-up, then never increases, and ends close to 0', () => {
    const lrs = Array.from({ length: 100 }, (_, e) => epochLr(lr, e, 100));
    for (let e = 1; e < 10; e++) expect(lrs[e]).toBeGreaterThan(lrs[e - 1]);
    for (let e = 10; e < 100; e++) expect(lrs[e]).toBeLessThanOrEqual(lrs[e - 1]);
    expect(lrs[99]).toBeGreaterThan(0);
    expect(lrs[99]).toBeLessThan(lr * 1e-3);
  });

  it('handles a single epoch (all warm-up) and a two-epoch run', () => {
    expect(epochLr(lr, 0, 1)).toBe(lr);
    expect(epochLr(lr, 0, 2)).toBe(lr);
    expect(epochLr(lr, 1, 2)).toBe(lr);
  });

  it('refuses epochs outside the run', () => {
    expect(() => epochLr(lr, 100, 100)).toThrow(/epoch must be an integer in 0\.\.99, got 100/);
    expect(() => epochLr(lr, 0, 0)).toThrow(/epochs must be an integer >= 1/);
  });
});
