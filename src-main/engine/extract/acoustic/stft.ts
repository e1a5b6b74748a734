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

/** A magnitude (power 1) or power (2) spectrogram, row-major [frames, bins]. */
export interface Spectrogram {
  frames: number;
  bins: number;
  data: Float64Array;
}

/** |STFT|^power with a periodic-Hann (or given) window, as librosa's _spectrogram. */
export function spectrogram(y: Float32Array | Float64Array, nFft: number, hop: number, window: Float64Array, power: 1 | 2): Spectrogram {
  const bins = (nFft >> 1) + 1;
  const data = new Float64Array(frameCount(y.length, hop) * bins);
  const frames = forEachSpectrum(y, nFft, hop, window, (t, s) => {
    const o = t * bins;
    for (let k = 0; k < bins; k++) {
      const p = s[2 * k]! * s[2 * k]! + s[2 * k + 1]! * s[2 * k + 1]!;
      data[o + k] = power === 2 ? p : Math.sqrt(p);
    }
  });
  return { frames, bins, data };
}

/** Squares a magnitude spectrogram into a new power spectrogram. */
export function squared(s: Spectrogram): Spectrogram {
  const data = new Float64Array(s.data.length);
  for (let i = 0; i < data.length; i++) data[i] = s.data[i]! * s.data[i]!;
  return { frames: s.frames, bins: s.bins, data };
}

/** fft_frequencies: bin k of an n-point FFT at sr, in Hz. */
export function fftFrequencies(sr: number, nFft: number): Float64Array {
  const bins = (nFft >> 1) + 1;
  const f = new Float64Array(bins);
  for (let k = 0; k < bins; k++) f[k] = (k * sr) / nFft;
  return f;
}
