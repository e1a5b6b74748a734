import { describe, expect, it } from 'vitest';
import { className, classIndex, formatSentiment, scaleFraction } from './sentiment';

describe('the sentiment scale', () => {
  it.each([
    [-3, 'strongly negative'],
    [-2.4, 'negative'],
    [-0.6, 'weakly negative'],
    [0.49, 'neutral'],
    [0.5, 'weakly positive'],
    [1.6, 'positive'],
    [9, 'strongly positive'],
  ])('puts %s in "%s"', (v, name) => {
    expect(className(v)).toBe(name);
  });

  it('indexes classes 0..6 and clips out-of-range values', () => {
    expect(classIndex(-10)).toBe(0);
    expect(classIndex(10)).toBe(6);
  });

  it.each([
    [-3, 0],
    [0, 0.5],
    [3, 1],
    [4, 1],
  ])('places %s at fraction %s', (v, f) => {
    expect(scaleFraction(v)).toBeCloseTo(f, 9);
  });

  it.each([
    [0.4123, '0.412'],
    [-1.25, '-1.250'],
    [-0.0001, '0.000'],
  ])('prints %s as %s', (v, text) => {
    expect(formatSentiment(v)).toBe(text);
  });
});
