// MFCCs as librosa.feature.mfcc computes them: a power mel spectrogram (Slaney-normalised
// triangular filters on the HTK or Slaney mel scale, 128 bands from 0 Hz to Nyquist),
// power_to_db with the clip-wide 80 dB floor, then an orthonormal DCT-II.
import { linspace, powerToDbInPlace } from './dsp';
import { fftFrequencies, type Spectrogram } from './stft';

function hzToMel(f: number, htk: boolean): number {
  if (htk) return 2595 * Math.log10(1 + f / 700);
  const fSp = 200 / 3;
  return f >= 1000 ? 1000 / fSp + Math.log(f / 1000) / (Math.log(6.4) / 27) : f / fSp;
}

function melToHz(m: number, htk: boolean): number {
  if (htk) return 700 * (10 ** (m / 2595) - 1);
  const fSp = 200 / 3;
  const minLogMel = 1000 / fSp;
  return m >= minLogMel ? 1000 * Math.exp((Math.log(6.4) / 27) * (m - minLogMel)) : fSp * m;
}

/** One filter of the bank: weights for bins start..start+weights.length-1 (it is zero elsewhere). */
interface SparseRow {
  start: number;
  weights: Float64Array;
}

/** librosa.filters.mel(sr, n_fft, n_mels, htk, norm='slaney'), kept sparse (each band spans few bins). */
export function melFilterbank(sr: number, nFft: number, nMels: number, htk: boolean): SparseRow[] {
  const fft = fftFrequencies(sr, nFft);
  const mels = linspace(hzToMel(0, htk), hzToMel(sr / 2, htk), nMels + 2);
  const melF = mels.map((m) => melToHz(m, htk));
  const rows: SparseRow[] = [];
  for (let i = 0; i < nMels; i++) {
    const lo = melF[i]!, mid = melF[i + 1]!, hi = melF[i + 2]!;
    const enorm = 2 / (hi - lo);
    const w: number[] = [];
    let start = -1;
    for (let k = 0; k < fft.length; k++) {
      const v = Math.max(0, Math.min((fft[k]! - lo) / (mid - lo), (hi - fft[k]!) / (hi - mid)));
      if (v > 0 && start < 0) start = k;
      if (start >= 0 && k >= start) w.push(v * enorm);
    }
    while (w.length > 0 && w[w.length - 1] === 0) w.pop();
    rows.push({ start: Math.max(0, start), weights: Float64Array.from(w) });
  }
  return rows;
}

/** MFCCs [frames, nMfcc] from a magnitude spectrogram (squared here: librosa's mel spectrogram is power 2). */
export function mfcc(mag: Spectrogram, sr: number, nFft: number, nMfcc: number, htk: boolean): Float64Array {
  const nMels = 128;
  const bank = melFilterbank(sr, nFft, nMels, htk);
  const mel = new Float64Array(mag.frames * nMels);
  for (let t = 0; t < mag.frames; t++) {
    const o = t * mag.bins;
    for (let m = 0; m < nMels; m++) {
      const { start, weights } = bank[m]!;
      let acc = 0;
      for (let j = 0; j < weights.length; j++) acc += weights[j]! * mag.data[o + start + j]! ** 2;
      mel[t * nMels + m] = acc;
    }
  }
  powerToDbInPlace(mel);
  return dctOrtho(mel, mag.frames, nMels, nMfcc);
}

/** scipy.fft.dct(type=2, norm='ortho') of each row, first `keep` coefficients. */
function dctOrtho(x: Float64Array, rows: number, n: number, keep: number): Float64Array {
  const basis = new Float64Array(keep * n);
  for (let k = 0; k < keep; k++) {
    const scale = k === 0 ? Math.sqrt(1 / n) : Math.sqrt(2 / n);
    for (let i = 0; i < n; i++) basis[k * n + i] = scale * Math.cos((Math.PI * k * (2 * i + 1)) / (2 * n));
  }
  const out = new Float64Array(rows * keep);
  for (let t = 0; t < rows; t++) {
    for (let k = 0; k < keep; k++) {
      let acc = 0;
      for (let i = 0; i < n; i++) acc += basis[k * n + i]! * x[t * n + i]!;
      out[t * keep + k] = acc;
    }
  }
  return out;
}
