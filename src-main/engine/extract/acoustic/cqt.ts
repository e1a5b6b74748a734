// The constant-Q transform as librosa.cqt computes it (hann filters, filter_scale 1, L1 norm,
// sparsity 0.01, scale=True), octave by octave from the top: each octave's filters are FFT'd
// once into a sparse frequency-domain basis and applied to a rectangular-window STFT of the
// signal at that octave's rate; the signal is then halved in rate (./decimate) for the next.
import { frameCount, hann } from './dsp';
import { planFft } from './fft';
import { slidingSpectra } from './sliding-dft';
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
  const mag = Array.from(re, (r, i) => Math.sqrt(r * r + im[i]! * im[i]!));
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

// Bases depend only on fmin (the clip's tuning, in 0.01-bin steps), so a few are kept.
const basisCache = new Map<string, OctaveBasis[]>();

function octaveBases(spec: CqtSpec, freqs: Float64Array, lengthsAtSr: Float64Array): OctaveBasis[] {
  const key = `${spec.sr}/${spec.hop}/${spec.fmin}/${spec.octaves}/${spec.binsPerOctave}`;
  const hit = basisCache.get(key);
  if (hit) return hit;
  const bpo = spec.binsPerOctave;
  const bases: OctaveBasis[] = [];
  let mySr = spec.sr, myHop = spec.hop;
  for (let o = 0; o < spec.octaves; o++) {
    const lo = freqs.length - bpo * (o + 1);
    const lengths = lengthsAtSr.subarray(lo, lo + bpo).map((l) => (l * mySr) / spec.sr);
    bases.push(octaveBasis(freqs.subarray(lo, lo + bpo), lengths, mySr, Math.sqrt(spec.sr / mySr)));
    if (myHop % 2 === 0) {
      myHop /= 2;
      mySr /= 2;
    }
  }
  if (basisCache.size >= 16) basisCache.delete(basisCache.keys().next().value!);
  basisCache.set(key, bases);
  return bases;
}

/**
 * |CQT| folded into 12 pitch classes as librosa's cq_to_chroma does (3 bins per class, centred
 * on the semitone), unnormalised [frames, 12]. Each octave is folded as it is computed, so the
 * 252-bin magnitude matrix is never held.
 */
export function cqtChroma(y: Float32Array, spec: CqtSpec): { frames: number; data: Float64Array } {
  const { sr, binsPerOctave: bpo, octaves } = spec;
  const nBins = bpo * octaves;
  const freqs = Float64Array.from({ length: nBins }, (_, k) => spec.fmin * 2 ** (k / bpo));
  const lengthsAtSr = filterLengths(freqs, sr);
  const bases = octaveBases(spec, freqs, lengthsAtSr);
  const merge = bpo / 12;
  // librosa rolls the merge window left by floor(merge / 2); octaves start on C, so bin k of an octave maps alike in all.
  const classOf = Int32Array.from({ length: bpo }, (_, k) => Math.floor(((k + Math.floor(merge / 2)) % bpo) / merge));
  let frames = frameCount(y.length, spec.hop);
  const folded: Float64Array[] = [];
  let signal: Float64Array = Float64Array.from(y);
  let myHop = spec.hop;
  for (let o = 0; o < octaves; o++) {
    const lo = nBins - bpo * (o + 1);
    const scale = lengthsAtSr.subarray(lo, lo + bpo).map((l) => 1 / Math.sqrt(l));
    const out = octaveResponse(signal, myHop, bases[o]!, classOf, scale);
    folded.push(out.data);
    frames = Math.min(frames, out.frames);
    if (myHop % 2 === 0) {
      myHop /= 2;
      signal = decimateByTwo(signal);
    }
  }
  const data = new Float64Array(frames * 12);
  for (const oct of folded) for (let i = 0; i < data.length; i++) data[i] = data[i]! + oct[i]!;
  return { frames, data };
}

/** |basis . STFT| / sqrt(length) of one octave's filters, summed per pitch class: [frames, 12]. */
function octaveResponse(y: Float64Array, hop: number, b: OctaveBasis, classOf: Int32Array, scale: Float64Array): { frames: number; data: Float64Array } {
  const frames = frameCount(y.length, hop);
  const data = new Float64Array(frames * 12);
  const { ptr, idx, re: bRe, im: bIm } = b;
  const filters = classOf.length;
  const apply = (t: number, re: Float64Array, im: Float64Array, offset: number): void => {
    const o = t * 12;
    for (let k = 0; k < filters; k++) {
      let sr = 0, si = 0;
      const end = ptr[k + 1]!;
      for (let p = ptr[k]!; p < end; p++) {
        const j = idx[p]! - offset, br = bRe[p]!, bi = bIm[p]!, dr = re[j]!, di = im[j]!;
        sr += br * dr - bi * di;
        si += br * di + bi * dr;
      }
      data[o + classOf[k]!] += Math.sqrt(sr * sr + si * si) * scale[k]!;
    }
  };
  slidingSpectra(y, hop, b, frames, apply);
  return { frames, data };
}
