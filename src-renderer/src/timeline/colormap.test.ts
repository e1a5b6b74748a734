import { describe, expect, it } from 'vitest';
import { divergingColour, featureImage, sequentialColour, sharedLimit } from './colormap';

describe('colour maps', () => {
  it('maps the diverging ends to blue and red and zero to near white', () => {
    expect(divergingColour(-1, 1)).toEqual([33, 102, 172]);
    expect(divergingColour(1, 1)).toEqual([178, 24, 43]);
    expect(divergingColour(0, 1)).toEqual([247, 247, 247]);
    expect(divergingColour(5, 1)).toEqual([178, 24, 43]);
  });

  it('maps the sequential range end to end', () => {
    expect(sequentialColour(0, 0, 1)).toEqual([68, 1, 84]);
    expect(sequentialColour(1, 0, 1)).toEqual([253, 231, 37]);
  });

  it('shares one scale across a row, robust to one outlier', () => {
    const a = Float32Array.from({ length: 100 }, (_, i) => (i % 2 ? 1 : -1));
    const b = Float32Array.from([1000]);
    expect(sharedLimit([a, b])).toBe(1);
    expect(sharedLimit([new Float32Array(4)])).toBe(1);
  });

  it('lays a [t, d] matrix out with time along x', () => {
    // t = 2 bins, d = 3 features; bin 1 feature 0 is the only positive value.
    const m = Float32Array.from([-1, -1, -1, 1, -1, -1]);
    const px = featureImage(m, 2, 3, (v) => (v > 0 ? [255, 0, 0] : [0, 0, 255]));
    // pixel (x = 1, y = 0) is at index 1.
    expect(Array.from(px.slice(4, 8))).toEqual([255, 0, 0, 255]);
    expect(Array.from(px.slice(0, 4))).toEqual([0, 0, 255, 255]);
  });
});
