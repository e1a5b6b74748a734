// The CQT's rectangular-window STFT, restricted to the bins its sparse filters read. A frame's
// bins follow from the previous frame's by a sliding-DFT update (hop new samples in, hop old
// out, one rotation), which costs hop x bins instead of a full FFT per frame; at the lower
// octaves, where the hop is 2-16 samples of a 1024-point frame, that is 1.5-5x cheaper (larger
// hops take an FFT per frame). Every RESEED frames the bins are recomputed by FFT, so float64
// round-off cannot accumulate.
import { planFft } from './fft';

const RESEED = 32;

/** The bin range a basis reads, and the FFT size. */
export interface BinSpan {
  nFft: number;
  idx: Int32Array;
}

/** Calls `visit(t, re, im, lo)` per centred frame with bins lo..hi of its rectangular-window DFT. */
export function slidingSpectra(
  y: Float64Array,
  hop: number,
  basis: BinSpan,
  frames: number,
  visit: (t: number, re: Float64Array, im: Float64Array, lo: number) => void,
): void {
  const n = basis.nFft;
  let lo = Infinity, hi = -Infinity;
  for (const j of basis.idx) {
    lo = Math.min(lo, j);
    hi = Math.max(hi, j);
  }
  if (!Number.isFinite(lo)) return;
  const span = hi - lo + 1;
  // The signal with the centring pad (n/2 zeros before; after, enough for the last update).
  const xp = new Float64Array(frames * hop + n + hop);
  xp.set(y, n / 2);
  const tw = twiddles(n, hop, lo, span);
  const re = new Float64Array(span), im = new Float64Array(span);
  const fft = planFft(n);
  const frame = new Float64Array(n), out = new Float64Array(2 * n);
  // Sliding pays while hop x bins stays under about two FFTs' worth of work (measured).
  const reseed = hop * span <= 2 * n ? RESEED : 1;
  for (let t = 0; t < frames; t++) {
    if (t % reseed === 0) {
      frame.set(xp.subarray(t * hop, t * hop + n));
      fft.real(frame, out);
      for (let f = 0; f < span; f++) {
        re[f] = out[2 * (lo + f)]!;
        im[f] = out[2 * (lo + f) + 1]!;
      }
    }
    visit(t, re, im, lo);
    if ((t + 1) % reseed !== 0 && t + 1 < frames) slide(xp, t * hop, n, re, im, tw);
  }
}

/** w^{f r} ([bin][r]) for the entering/leaving samples and the per-bin rotation w^{-f hop}, w = e^{-2 pi i / n}. */
function twiddles(n: number, hop: number, lo: number, span: number) {
  // float32 tables: half the cache footprint; their 1e-7 rounding is far below librosa's own complex64.
  const twRe = new Float32Array(hop * span), twIm = new Float32Array(hop * span);
  for (let f = 0; f < span; f++)
    for (let r = 0; r < hop; r++) {
      const a = (2 * Math.PI * (((lo + f) * r) % n)) / n;
      twRe[f * hop + r] = Math.cos(a);
      twIm[f * hop + r] = -Math.sin(a);
    }
  const rotRe = new Float64Array(span), rotIm = new Float64Array(span);
  for (let f = 0; f < span; f++) {
    const a = (2 * Math.PI * (((lo + f) * hop) % n)) / n;
    rotRe[f] = Math.cos(a);
    rotIm[f] = Math.sin(a);
  }
  return { twRe, twIm, rotRe, rotIm, diff: new Float64Array(hop) };
}

type Twiddles = ReturnType<typeof twiddles>;

// D_{t+1}[f] = w^{-f hop} (D_t[f] + sum_{r < hop} (x[s + n + r] - x[s + r]) w^{f r})
function slide(xp: Float64Array, s: number, n: number, re: Float64Array, im: Float64Array, tw: Twiddles): void {
  const { twRe, twIm, rotRe, rotIm, diff } = tw;
  const hop = diff.length;
  for (let r = 0; r < hop; r++) diff[r] = xp[s + n + r]! - xp[s + r]!;
  for (let f = 0, o = 0; f < re.length; f++, o += hop) {
    let a = re[f]!, b = im[f]!;
    for (let r = 0; r < hop; r++) {
      a += diff[r]! * twRe[o + r]!;
      b += diff[r]! * twIm[o + r]!;
    }
    re[f] = a * rotRe[f]! - b * rotIm[f]!;
    im[f] = a * rotIm[f]! + b * rotRe[f]!;
  }
}
