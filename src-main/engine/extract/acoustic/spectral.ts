// The per-frame spectral shape features of librosa.feature, each from the same magnitude
// spectrogram (n_fft 512, periodic Hann, centred, zero padded), as librosa computes them.
import { FLOAT32_TINY, powerToDbInPlace } from './dsp';
import { fftFrequencies, type Spectrogram } from './stft';

/** spectral_centroid and spectral_bandwidth (p=2, norm=True): [frames] each. */
export function centroidBandwidth(s: Spectrogram, sr: number, nFft: number): { centroid: Float64Array; bandwidth: Float64Array } {
  const f = fftFrequencies(sr, nFft);
  const centroid = new Float64Array(s.frames);
  const bandwidth = new Float64Array(s.frames);
  for (let t = 0; t < s.frames; t++) {
    const o = t * s.bins;
    let sum = 0;
    for (let k = 0; k < s.bins; k++) sum += s.data[o + k]!;
    // librosa leaves a column whose sum is below tiny unnormalised.
    const norm = sum < FLOAT32_TINY ? 1 : sum;
    let c = 0;
    for (let k = 0; k < s.bins; k++) c += f[k]! * (s.data[o + k]! / norm);
    let v = 0;
    for (let k = 0; k < s.bins; k++) v += (s.data[o + k]! / norm) * (f[k]! - c) ** 2;
    centroid[t] = c;
    bandwidth[t] = Math.sqrt(v);
  }
  return { centroid, bandwidth };
}

/** spectral_rolloff: the lowest bin frequency whose cumulative energy reaches `percent` of the frame's. */
export function rolloff(s: Spectrogram, sr: number, nFft: number, percent: number): Float64Array {
  const f = fftFrequencies(sr, nFft);
  const out = new Float64Array(s.frames);
  for (let t = 0; t < s.frames; t++) {
    const o = t * s.bins;
    let total = 0;
    for (let k = 0; k < s.bins; k++) total += s.data[o + k]!;
    const threshold = percent * total;
    let acc = 0;
    let k = 0;
    for (; k < s.bins - 1; k++) {
      acc += s.data[o + k]!;
      if (acc >= threshold) break;
    }
    out[t] = f[k]!;
  }
  return out;
}

/** spectral_flatness (power 2, amin 1e-10): geometric over arithmetic mean of the power spectrum. */
export function flatness(s: Spectrogram): Float64Array {
  const out = new Float64Array(s.frames);
  for (let t = 0; t < s.frames; t++) {
    const o = t * s.bins;
    let logSum = 0, sum = 0;
    for (let k = 0; k < s.bins; k++) {
      const p = Math.max(1e-10, s.data[o + k]! ** 2);
      logSum += Math.log(p);
      sum += p;
    }
    out[t] = Math.exp(logSum / s.bins) / (sum / s.bins);
  }
  return out;
}

/** poly_features (order 1): per frame the least-squares line [slope, intercept] over bin frequency. */
export function polyFeatures(s: Spectrogram, sr: number, nFft: number): Float64Array {
  const f = fftFrequencies(sr, nFft);
  let fMean = 0;
  for (const v of f) fMean += v / f.length;
  let sxx = 0;
  for (const v of f) sxx += (v - fMean) ** 2;
  const out = new Float64Array(s.frames * 2);
  for (let t = 0; t < s.frames; t++) {
    const o = t * s.bins;
    let yMean = 0, sxy = 0;
    for (let k = 0; k < s.bins; k++) yMean += s.data[o + k]!;
    yMean /= s.bins;
    for (let k = 0; k < s.bins; k++) sxy += (f[k]! - fMean) * (s.data[o + k]! - yMean);
    const slope = sxy / sxx;
    out[2 * t] = slope;
    out[2 * t + 1] = yMean - slope * fMean;
  }
  return out;
}

/** The bins of each spectral_contrast band (n_bands 6 from 200 Hz), as librosa picks them. */
function contrastBands(f: Float64Array, nBands: number, fmin: number): { bins: number[]; q: number }[] {
  const edges = [0];
  for (let i = 0; i <= nBands; i++) edges.push(fmin * 2 ** i);
  const bands: { bins: number[]; q: number }[] = [];
  for (let k = 0; k <= nBands; k++) {
    const inBand = Array.from(f, (v) => v >= edges[k]! && v <= edges[k + 1]!);
    const idx = inBand.flatMap((b, i) => (b ? [i] : []));
    if (k > 0) inBand[idx[0]! - 1] = true;
    if (k === nBands) for (let i = idx.at(-1)! + 1; i < f.length; i++) inBand[i] = true;
    let bins = inBand.flatMap((b, i) => (b ? [i] : []));
    const q = Math.max(1, roundHalfEven(0.02 * bins.length));
    if (k < nBands) bins = bins.slice(0, -1);
    bands.push({ bins, q });
  }
  return bands;
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** spectral_contrast: peak minus valley (dB) per band, [frames, nBands + 1]. */
export function contrast(s: Spectrogram, sr: number, nFft: number): Float64Array {
  const nBands = 6;
  const bands = contrastBands(fftFrequencies(sr, nFft), nBands, 200).map((b) => ({ bins: Int32Array.from(b.bins), q: Math.min(8, b.q) }));
  const width = nBands + 1;
  const peak = new Float64Array(s.frames * width);
  const valley = new Float64Array(s.frames * width);
  const low = new Float64Array(8), high = new Float64Array(8);
  for (let t = 0; t < s.frames; t++) {
    for (let k = 0; k < width; k++) {
      const { bins, q } = bands[k]!;
      extremes(s.data, t * s.bins, bins, q, low, high);
      let lo = 0, hi = 0;
      for (let i = 0; i < q; i++) {
        lo += low[i]!;
        hi += high[i]!;
      }
      valley[t * width + k] = lo / q;
      peak[t * width + k] = hi / q;
    }
  }
  powerToDbInPlace(peak);
  powerToDbInPlace(valley);
  for (let i = 0; i < peak.length; i++) peak[i] = peak[i]! - valley[i]!;
  return peak;
}

/** The q smallest (ascending) and q largest (descending) of data[offset + bins[i]], q <= 8: a sort would do, this is cheaper. */
function extremes(data: Float32Array, offset: number, bins: Int32Array, q: number, low: Float64Array, high: Float64Array): void {
  low.fill(Infinity, 0, q);
  high.fill(-Infinity, 0, q);
  for (let i = 0; i < bins.length; i++) {
    const v = data[offset + bins[i]!]!;
    if (v < low[q - 1]!) {
      let j = q - 1;
      for (; j > 0 && low[j - 1]! > v; j--) low[j] = low[j - 1]!;
      low[j] = v;
    }
    if (v > high[q - 1]!) {
      let j = q - 1;
      for (; j > 0 && high[j - 1]! < v; j--) high[j] = high[j - 1]!;
      high[j] = v;
    }
  }
}

/** rms over zero-padded centred frames of frameLength samples (no window). */
export function rms(y: Float32Array, frameLength: number, hop: number, frames: number): Float64Array {
  const out = new Float64Array(frames);
  const half = frameLength >> 1;
  for (let t = 0; t < frames; t++) {
    const start = t * hop - half;
    let acc = 0;
    for (let i = Math.max(0, start); i < Math.min(y.length, start + frameLength); i++) acc += y[i]! * y[i]!;
    out[t] = Math.sqrt(acc / frameLength);
  }
  return out;
}

/** zero_crossing_rate over edge-padded centred frames; |x| <= 1e-10 counts as zero (positive sign). */
export function zeroCrossingRate(y: Float32Array, frameLength: number, hop: number, frames: number): Float64Array {
  const half = frameLength >> 1;
  const at = (i: number): number => y[Math.min(y.length - 1, Math.max(0, i))]!;
  // librosa zeroes |x| <= 1e-10 before comparing sign bits, so only x < -1e-10 is negative.
  const negative = (x: number): boolean => x < -1e-10;
  const out = new Float64Array(frames);
  for (let t = 0; t < frames; t++) {
    const start = t * hop - half;
    let count = 0;
    let prev = negative(at(start));
    for (let i = 1; i < frameLength; i++) {
      const cur = negative(at(start + i));
      if (cur !== prev) count++;
      prev = cur;
    }
    out[t] = count / frameLength;
  }
  return out;
}
