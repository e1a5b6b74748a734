// Chroma features as librosa.feature computes them: chroma_stft (Gaussian pitch-class filters
// on the power spectrum, retuned), chroma_cqt (CQT bins folded into 12 classes), chroma_cens
// (quantised, Hann-smoothed over 41 frames, L2) and tonnetz (6-d tonal centroids).
import { hann, normalizeRows } from './dsp';
import type { Spectrogram } from './stft';

/** librosa.filters.chroma(sr, n_fft, tuning) [12, bins] with its defaults (ctroct 5, octwidth 2, L2, base C). */
function chromaFilterbank(sr: number, nFft: number, tuning: number): Float64Array {
  const nChroma = 12;
  const a440 = 440 * 2 ** (tuning / nChroma);
  const frq = new Float64Array(nFft);
  for (let i = 1; i < nFft; i++) frq[i] = nChroma * Math.log2(((i * sr) / nFft) / (a440 / 16));
  frq[0] = frq[1]! - 1.5 * nChroma;
  const width = Float64Array.from(frq, (v, i) => (i < nFft - 1 ? Math.max(frq[i + 1]! - v, 1) : 1));
  const bins = (nFft >> 1) + 1;
  const wts = new Float64Array(nChroma * bins);
  for (let i = 0; i < bins; i++) {
    const col = new Float64Array(nChroma);
    let l2 = 0;
    for (let c = 0; c < nChroma; c++) {
      const d = ((frq[i]! - c + 6 + 10 * nChroma) % nChroma) - 6;
      col[c] = Math.exp(-0.5 * ((2 * d) / width[i]!) ** 2);
      l2 += col[c]! ** 2;
    }
    const octave = Math.exp(-0.5 * ((frq[i]! / nChroma - 5) / 2) ** 2);
    // Rolled by -3 so that row 0 is C, not A.
    for (let c = 0; c < nChroma; c++) wts[((c - 3 + nChroma) % nChroma) * bins + i] = (col[c]! / Math.sqrt(l2)) * octave;
  }
  return wts;
}

/** chroma_stft [frames, 12] from a magnitude spectrogram (on its power), max-normalised per frame. */
export function chromaStft(mag: Spectrogram, sr: number, nFft: number, tuning: number): Float64Array {
  const fb = chromaFilterbank(sr, nFft, tuning);
  const out = new Float64Array(mag.frames * 12);
  for (let t = 0; t < mag.frames; t++) {
    const o = t * mag.bins;
    for (let c = 0; c < 12; c++) {
      let acc = 0;
      for (let k = 0; k < mag.bins; k++) acc += fb[c * mag.bins + k]! * mag.data[o + k]! ** 2;
      out[t * 12 + c] = acc;
    }
  }
  normalizeRows(out, 12, 'inf');
  return out;
}

/** chroma_cqt: the folded CQT max-normalised per frame. */
export function chromaCqt(folded: Float64Array): Float64Array {
  const out = Float64Array.from(folded);
  normalizeRows(out, 12, 'inf');
  return out;
}

/** chroma_cens: L1, quantised (0.4/0.2/0.1/0.05 steps), smoothed by a 41-frame Hann, L2. */
export function chromaCens(folded: Float64Array, frames: number): Float64Array {
  const l1 = Float64Array.from(folded);
  normalizeRows(l1, 12, 1);
  const quant = l1.map((v) => (v > 0.4 ? 0.25 : 0) + (v > 0.2 ? 0.25 : 0) + (v > 0.1 ? 0.25 : 0) + (v > 0.05 ? 0.25 : 0));
  const win = hann(43, false);
  const sum = win.reduce((a, b) => a + b, 0);
  const half = 21;
  const out = new Float64Array(frames * 12);
  for (let t = 0; t < frames; t++) {
    for (let j = 0; j < 43; j++) {
      const s = t + j - half;
      if (s < 0 || s >= frames || win[j] === 0) continue;
      for (let c = 0; c < 12; c++) out[t * 12 + c]! += (win[j]! / sum) * quant[s * 12 + c]!;
    }
  }
  normalizeRows(out, 12, 2);
  return out;
}

/** tonnetz [frames, 6] (fifths, minor thirds, major thirds; x and y) from max-normalised chroma. */
export function tonnetz(chroma: Float64Array, frames: number): Float64Array {
  const l1 = Float64Array.from(chroma);
  normalizeRows(l1, 12, 1);
  const scale = [7 / 6, 7 / 6, 3 / 2, 3 / 2, 2 / 3, 2 / 3];
  const radius = [1, 1, 1, 1, 0.5, 0.5];
  const phi = new Float64Array(72);
  for (let p = 0; p < 6; p++)
    for (let c = 0; c < 12; c++) phi[p * 12 + c] = radius[p]! * Math.cos(Math.PI * (scale[p]! * c - (p % 2 === 0 ? 0.5 : 0)));
  const out = new Float64Array(frames * 6);
  for (let t = 0; t < frames; t++)
    for (let p = 0; p < 6; p++) {
      let acc = 0;
      for (let c = 0; c < 12; c++) acc += phi[p * 12 + c]! * l1[t * 12 + c]!;
      out[t * 6 + p] = acc;
    }
  return out;
}
