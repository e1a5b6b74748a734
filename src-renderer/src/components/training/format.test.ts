import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatNumber, progressFraction, progressText } from './format';

describe('how training is written', () => {
  it('writes durations for people', () => {
    expect(formatDuration(45_200)).toBe('45 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
    expect(formatDuration(3_720_000)).toBe('1 h 02 min');
    expect(formatDuration(null)).toBe('–');
  });

  it('measures progress over the whole run from 0-based epochs and 1-based steps', () => {
    expect(progressFraction({ kind: 'step', epoch: 1, epochs: 4, step: 5, steps: 10, elapsedMs: 0, etaMs: 0 })).toBeCloseTo(0.375);
    expect(progressFraction({ kind: 'epoch', epoch: 3, epochs: 4, step: 10, steps: 10, elapsedMs: 0, etaMs: 0 })).toBe(1);
    expect(progressFraction(null)).toBe(0);
    expect(progressText({ kind: 'step', epoch: 1, epochs: 4, step: 5, steps: 10, elapsedMs: 0, etaMs: 0 })).toBe('epoch 2 / 4 · step 5 / 10');
  });

  it('writes numbers and sizes without float noise', () => {
    expect(formatNumber(0.30000000000000004)).toBe('0.3');
    expect(formatNumber(1e-4)).toBe('1.00e-4');
    expect(formatNumber(null)).toBe('n/a');
    expect(formatBytes(2_500_000)).toBe('2.4 MB');
  });
});
