// librosa.estimate_tuning: piptrack's parabolic-interpolated spectral peaks between 150 Hz and
// 4 kHz, the louder half of them (by interpolated magnitude), and the most common deviation from
// the equal-tempered grid in a 0.01-bin histogram. Both chroma features retune with it.
import { linspace, median } from './dsp';
import type { Spectrogram } from './stft';

/** Peak frequencies and interpolated magnitudes of every frame (piptrack with its defaults). */
function piptrack(s: Spectrogram, sr: number, nFft: number, power: 1 | 2): { pitch: number[]; mag: number[] } {
  const pitch: number[] = [];
  const mag: number[] = [];
  const n = s.bins;
  const fmax = Math.min(4000, sr / 2);
  const x = new Float64Array(n);
  for (let t = 0; t < s.frames; t++) {
    for (let k = 0; k < n; k++) x[k] = s.data[t * n + k]! ** power;
    let max = 0;
    for (let k = 0; k < n; k++) if (x[k]! > max) max = x[k]!;
    const ref = 0.1 * max;
    const gated = (k: number): number => (x[k]! > ref ? x[k]! : 0);
    for (let k = 1; k < n; k++) {
      const f = (k * sr) / nFft;
      if (f < 150 || f >= fmax) continue;
      const isMax = k === n - 1 ? gated(k) > gated(k - 1) : gated(k) > gated(k - 1) && gated(k) >= gated(k + 1);
      if (!isMax) continue;
      let shift = 0, avg = 0;
      if (k < n - 1) {
        const a = x[k + 1]! + x[k - 1]! - 2 * x[k]!;
        const b = (x[k + 1]! - x[k - 1]!) / 2;
        shift = Math.abs(b) >= Math.abs(a) ? 0 : -b / a;
        avg = b;
      } else {
        avg = x[k]! - x[k - 1]!;
      }
      pitch.push(((k + shift) * sr) / nFft);
      mag.push(x[k]! + 0.5 * avg * shift);
    }
  }
  return { pitch, mag };
}

/** estimate_tuning on a magnitude spectrogram raised to `power` (chroma_stft passes its power spectrum), in fractions of a bin. */
export function estimateTuning(s: Spectrogram, sr: number, nFft: number, binsPerOctave: number, power: 1 | 2): number {
  const { pitch, mag } = piptrack(s, sr, nFft, power);
  const positive = pitch.flatMap((p, i) => (p > 0 ? [i] : []));
  const threshold = positive.length > 0 ? median(positive.map((i) => mag[i]!)) : 0;
  const chosen = positive.filter((i) => mag[i]! >= threshold).map((i) => pitch[i]!);
  return pitchTuning(chosen, binsPerOctave);
}

/** pitch_tuning at resolution 0.01: the left edge of the fullest histogram bin (0 when no pitch). */
export function pitchTuning(frequencies: number[], binsPerOctave: number): number {
  const edges = linspace(-0.5, 0.5, 101);
  const counts = new Array<number>(100).fill(0);
  let any = false;
  for (const f of frequencies) {
    if (!(f > 0)) continue;
    any = true;
    const x = binsPerOctave * Math.log2(f / 27.5);
    let r = x - Math.floor(x);
    if (r >= 0.5) r -= 1;
    counts[histogramBin(r, edges)]! += 1;
  }
  if (!any) return 0;
  let best = 0;
  for (let i = 1; i < 100; i++) if (counts[i]! > counts[best]!) best = i;
  return edges[best]!;
}

/** numpy.histogram's bin for a value inside uniform edges (its index, corrected against the edges). */
function histogramBin(v: number, edges: Float64Array): number {
  const nBins = edges.length - 1;
  let i = Math.trunc((v - edges[0]!) * (nBins / (edges[nBins]! - edges[0]!)));
  if (i >= nBins) i = nBins - 1;
  if (v < edges[i]!) i -= 1;
  if (i < nBins - 1 && v >= edges[i + 1]!) i += 1;
  return i;
}
