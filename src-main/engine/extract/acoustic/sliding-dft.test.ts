import { describe, expect, it } from 'vitest';
import { slidingSpectra } from './sliding-dft';
import { forEachSpectrum } from './stft';

describe('slidingSpectra', () => {
  for (const hop of [2, 16, 128]) {
    it(`gives the rectangular-window FFT bins (to float32 twiddle precision) of every centred frame (hop ${hop})`, () => {
      const y = Float64Array.from({ length: 70 * hop + 37 }, (_, i) => Math.sin(i * 0.31) + 0.5 * Math.cos(i * 0.057) + ((i * 7919) % 17) / 17 - 0.5);
      const idx = Int32Array.of(40, 90, 65);
      const expected: number[][] = [];
      const frames = forEachSpectrum(y, 256, hop, null, (_, s) => expected.push(Array.from({ length: 51 }, (__, f) => s[2 * (40 + f)]! + 3 * s[2 * (40 + f) + 1]!)));
      let worst = 0, seen = 0;
      slidingSpectra(y, hop, { nFft: 256, idx }, frames, (t, re, im, lo) => {
        expect(lo).toBe(40);
        for (let f = 0; f < 51; f++) worst = Math.max(worst, Math.abs(re[f]! + 3 * im[f]! - expected[t]![f]!));
        seen++;
      });
      expect(seen).toBe(frames);
      // float32 twiddle tables: agreement to ~1e-7 of the spectrum's scale, far below librosa's complex64.
      const scale = Math.max(...expected.flat().map(Math.abs));
      expect(worst / scale).toBeLessThan(1e-6);
    });
  }
});
