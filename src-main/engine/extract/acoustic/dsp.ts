// Small numeric helpers shared by the acoustic features, each matching the librosa/numpy/scipy
// behaviour the features rely on (noted per function).

/** numpy's float32 `tiny`: librosa's normalisation threshold for its float32 arrays. */
export const FLOAT32_TINY = 1.1754943508222875e-38;

/** scipy.signal.get_window('hann', n, fftbins): periodic (fftbins) or symmetric Hann. */
export function hann(n: number, periodic: boolean): Float64Array {
  const w = new Float64Array(n);
  const denom = periodic ? n : n - 1;
  if (n === 1) w[0] = 1;
  else for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / denom);
  return w;
}

/** Frames of a centred analysis (librosa center=True): 1 + floor(length / hop). */
export function frameCount(length: number, hop: number): number {
  return 1 + Math.floor(length / hop);
}

/** numpy.linspace(start, stop, num) with its exact arithmetic (i * step + start, last = stop). */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  if (num > 1) out[num - 1] = stop;
  return out;
}

/** numpy.median of a list (mean of the two middle values for an even count). */
export function median(values: number[]): number {
  const s = Float64Array.from(values).sort();
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
}

/**
 * librosa.power_to_db(x) with its defaults (ref 1, amin 1e-10, top_db 80), in place. The floor
 * is the maximum over the whole array (every frame), as librosa does, so a clip's loudest
 * moment sets it.
 */
export function powerToDbInPlace(x: Float64Array): void {
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const db = 10 * Math.log10(Math.max(1e-10, x[i]!));
    x[i] = db;
    if (db > max) max = db;
  }
  const floor = max - 80;
  for (let i = 0; i < x.length; i++) if (x[i]! < floor) x[i] = floor;
}

/** librosa.util.normalize over each row of [rows, width] with norm inf, 1 or 2; rows under tiny stay as they are. */
export function normalizeRows(x: Float64Array, width: number, norm: 'inf' | 1 | 2): void {
  for (let o = 0; o < x.length; o += width) {
    let len = 0;
    for (let j = 0; j < width; j++) {
      const a = Math.abs(x[o + j]!);
      if (norm === 'inf') len = Math.max(len, a);
      else len += norm === 1 ? a : a * a;
    }
    if (norm === 2) len = Math.sqrt(len);
    if (len < FLOAT32_TINY) continue;
    for (let j = 0; j < width; j++) x[o + j] = x[o + j]! / len;
  }
}
