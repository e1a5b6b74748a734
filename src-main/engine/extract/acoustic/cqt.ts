// The constant-Q transform as librosa.cqt computes it (hann filters, filter_scale 1, L1 norm,
// sparsity 0.01, scale=True), octave by octave from the top: each octave's filters are FFT'd
// once into a sparse frequency-domain basis and applied to a rectangular-window STFT of the
// signal at that octave's rate; the signal is then halved in rate (./decimate) for the next.
import { frameCount, hann } from './dsp';
import { planFft } from './fft';
import { forEachSpectrum } from './stft';
import { decimateByTwo } from './decimate';

/** The CQT's shape: librosa.chroma_cqt's defaults (C1, 7 octaves, 36 bins per octave). */
export interface CqtSpec {
  sr: number;
  hop: number;
  fmin: number;
  octaves: number;
  binsPerOctave: number;
}

/** One octave's sparse basis: for filter k, bins idx[ptr[k]..ptr[k+1]) with complex weights. */
interface OctaveBasis {
  nFft: number;
  ptr: Int32Array;
  idx: Int32Array;
  re: Float64Array;
  im: Float64Array;
}

/** librosa's wavelet lengths Q * sr / f, with Q = 1 / alpha from the local bin spacing. */
function filterLengths(freqs: Float64Array, sr: number): Float64Array {
  const n = freqs.length;
  return freqs.map((f, i) => {
    const lo = Math.log2(freqs[Math.max(0, i - 1)]!), hi = Math.log2(freqs[Math.min(n - 1, i + 1)]!);
    const bpo = (i === 0 || i === n - 1 ? 1 : 2) / (hi - lo);
    const r = 2 ** (2 / bpo);
    const alpha = (r - 1) / (r + 1);
    return sr / (alpha * f);
  });
}

/** One filter's time-domain kernel, centred in nFft complex (interleaved) samples. */
function kernel(freq: number, ilen: number, sr: number, nFft: number): Float64Array {
  const start = Math.floor(-ilen / 2);
  const len = Math.floor(ilen / 2) - start;
  const win = hann(len, true);
  let l1 = 0;
  for (const w of win) l1 += w;
  // L1 normalisation, then librosa's re-normalisation by the length over the FFT size.
  const scale = ilen / nFft / l1;
  const out = new Float64Array(2 * nFft);
  const pad = Math.floor((nFft - len) / 2);
  for (let j = 0; j < len; j++) {
    const phase = ((start + j) * 2 * Math.PI * freq) / sr;
    out[2 * (pad + j)] = Math.cos(phase) * win[j]! * scale;
    out[2 * (pad + j) + 1] = Math.sin(phase) * win[j]! * scale;
  }
  return out;
}

/** Keeps the largest bins of a row until the dropped ones sum to under `quantile` of its L1 mass. */
function sparsify(re: Float64Array, im: Float64Array, quantile: number): number[] {
  const mag = Array.from(re, (r, i) => Math.hypot(r, im[i]!));
  const sorted = Float64Array.from(mag).sort();
  const total = sorted.reduce((a, b) => a + b, 0);
  let acc = 0;
  let j = 0;
  for (; j < sorted.length; j++) {
    acc += sorted[j]! / total;
    if (!(acc < quantile)) break;
  }
  const cut = sorted[Math.min(j, sorted.length - 1)]!;
  return mag.flatMap((m, i) => (m >= cut ? [i] : []));
}

function octaveBasis(freqs: Float64Array, lengths: Float64Array, sr: number, gain: number): OctaveBasis {
  const nFft = 2 ** Math.ceil(Math.log2(Math.max(...lengths)));
  const fft = planFft(nFft);
  const bins = nFft / 2 + 1;
  const spectrum = new Float64Array(2 * nFft);
  const ptr = [0], idx: number[] = [], re: number[] = [], im: number[] = [];
  freqs.forEach((f, k) => {
    fft.complex(kernel(f, lengths[k]!, sr, nFft), spectrum);
    const r = new Float64Array(bins), i = new Float64Array(bins);
    for (let b = 0; b < bins; b++) {
      r[b] = spectrum[2 * b]! * gain;
      i[b] = spectrum[2 * b + 1]! * gain;
    }
    for (const b of sparsify(r, i, 0.01)) {
      idx.push(b);
      re.push(r[b]!);
      im.push(i[b]!);
    }
    ptr.push(idx.length);
  });
  return { nFft, ptr: Int32Array.from(ptr), idx: Int32Array.from(idx), re: Float64Array.from(re), im: Float64Array.from(im) };
}

/** |CQT| [frames, octaves * binsPerOctave], lowest bin first, as librosa.cqt returns (transposed). */
export function cqtMagnitude(y: Float32Array, spec: CqtSpec): { frames: number; bins: number; data: Float64Array } {
  const { sr, binsPerOctave: bpo, octaves } = spec;
  const nBins = bpo * octaves;
  const freqs = Float64Array.from({ length: nBins }, (_, k) => spec.fmin * 2 ** (k / bpo));
  const lengthsAtSr = filterLengths(freqs, sr);
  let frames = frameCount(y.length, spec.hop);
  const octaveOut: Float64Array[] = [];
  let signal: Float64Array = Float64Array.from(y);
  let mySr = sr, myHop = spec.hop;
  for (let o = 0; o < octaves; o++) {
    const lo = nBins - bpo * (o + 1);
    const basis = octaveBasis(freqs.subarray(lo, lo + bpo), lengthsAtSr.subarray(lo, lo + bpo).map((l) => (l * mySr) / sr), mySr, Math.sqrt(sr / mySr));
    const out = octaveResponse(signal, myHop, basis, bpo);
    octaveOut.push(out.data);
    frames = Math.min(frames, out.frames);
    if (myHop % 2 === 0) {
      myHop /= 2;
      mySr /= 2;
      signal = decimateByTwo(signal);
    }
  }
  const data = new Float64Array(frames * nBins);
  octaveOut.forEach((oct, o) => {
    const lo = nBins - bpo * (o + 1);
    for (let t = 0; t < frames; t++)
      for (let k = 0; k < bpo; k++) data[t * nBins + lo + k] = oct[t * bpo + k]! / Math.sqrt(lengthsAtSr[lo + k]!);
  });
  return { frames, bins: nBins, data };
}

/** |basis . STFT| of one octave, [frames, filters]. */
function octaveResponse(y: Float64Array, hop: number, b: OctaveBasis, filters: number): { frames: number; data: Float64Array } {
  const data = new Float64Array(frameCount(y.length, hop) * filters);
  const frames = forEachSpectrum(y, b.nFft, hop, null, (t, s) => {
    for (let k = 0; k < filters; k++) {
      let sr = 0, si = 0;
      for (let p = b.ptr[k]!; p < b.ptr[k + 1]!; p++) {
        const j = b.idx[p]!, br = b.re[p]!, bi = b.im[p]!;
        const dr = s[2 * j]!, di = s[2 * j + 1]!;
        sr += br * dr - bi * di;
        si += br * di + bi * dr;
      }
      data[t * filters + k] = Math.hypot(sr, si);
    }
  });
  return { frames, data };
}
