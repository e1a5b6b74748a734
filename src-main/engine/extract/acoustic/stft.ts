// Centred short-time Fourier transforms as librosa.stft computes them (center=True, zero
// padding of n_fft/2 on each side, frames every hop), one frame at a time so long clips never
// hold a complex spectrogram in memory.
import { frameCount } from './dsp';
import { planFft } from './fft';

/** Calls `visit(t, spectrum)` for every centred frame; `spectrum` is interleaved bins 0..n/2, reused between calls. */
export function forEachSpectrum(
  y: Float32Array | Float64Array,
  nFft: number,
  hop: number,
  window: Float64Array | null,
  visit: (t: number, spectrum: Float64Array) => void,
): number {
  const fft = planFft(nFft);
  const frame = new Float64Array(nFft);
  const out = new Float64Array(2 * nFft);
  const frames = frameCount(y.length, hop);
  const half = nFft >> 1;
  for (let t = 0; t < frames; t++) {
    const start = t * hop - half;
    const lo = Math.max(0, -start);
    const hi = Math.min(nFft, y.length - start);
    frame.fill(0);
    if (window) for (let i = lo; i < hi; i++) frame[i] = y[start + i]! * window[i]!;
    else for (let i = lo; i < hi; i++) frame[i] = y[start + i]!;
    fft.real(frame, out);
    visit(t, out);
  }
  return frames;
}

/** A magnitude spectrogram |STFT|, row-major [frames, bins], kept in float32 (librosa's own precision) to halve its memory. */
export interface Spectrogram {
  frames: number;
  bins: number;
  data: Float32Array;
}

/** |STFT| with a periodic-Hann (or given) window, as librosa's _spectrogram (power 1); consumers square it where they need power. */
export function spectrogram(y: Float32Array | Float64Array, nFft: number, hop: number, window: Float64Array): Spectrogram {
  const bins = (nFft >> 1) + 1;
  const data = new Float32Array(frameCount(y.length, hop) * bins);
  const frames = forEachSpectrum(y, nFft, hop, window, (t, s) => {
    const o = t * bins;
    for (let k = 0; k < bins; k++) data[o + k] = Math.sqrt(s[2 * k]! * s[2 * k]! + s[2 * k + 1]! * s[2 * k + 1]!);
  });
  return { frames, bins, data };
}

/** fft_frequencies: bin k of an n-point FFT at sr, in Hz. */
export function fftFrequencies(sr: number, nFft: number): Float64Array {
  const bins = (nFft >> 1) + 1;
  const f = new Float64Array(bins);
  for (let k = 0; k < bins; k++) f[k] = (k * sr) / nFft;
  return f;
}
