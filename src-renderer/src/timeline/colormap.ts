/**
 * Colour maps for the heatmaps and the reconstruction-error strips: a diverging map for signed
 * features (shared scale per row) and a sequential one for gates and errors. Pure, so tests
 * can pin the endpoints.
 */

/** An RGB triple, 0..255. */
export type Rgb = readonly [number, number, number];

/** Diverging stops: blue (negative), neutral, orange (positive). */
const DIVERGING: readonly Rgb[] = [
  [33, 102, 172],
  [103, 169, 207],
  [209, 229, 240],
  [247, 247, 247],
  [253, 219, 199],
  [239, 138, 98],
  [178, 24, 43],
];

/** Sequential stops (viridis-like): dark violet to yellow. */
const SEQUENTIAL: readonly Rgb[] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

function interpolate(stops: readonly Rgb[], f: number): Rgb {
  const x = Math.min(1, Math.max(0, Number.isFinite(f) ? f : 0.5)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const w = x - i;
  const a = stops[i];
  const b = stops[i + 1];
  return [Math.round(a[0] + (b[0] - a[0]) * w), Math.round(a[1] + (b[1] - a[1]) * w), Math.round(a[2] + (b[2] - a[2]) * w)];
}

/** Diverging colour of `value` on a symmetric scale [-limit, limit]. */
export function divergingColour(value: number, limit: number): Rgb {
  return interpolate(DIVERGING, limit > 0 ? 0.5 + value / (2 * limit) : 0.5);
}

/** Sequential colour of `value` on [lo, hi]. */
export function sequentialColour(value: number, lo: number, hi: number): Rgb {
  return interpolate(SEQUENTIAL, hi > lo ? (value - lo) / (hi - lo) : 0);
}

/** A CSS colour string of an RGB triple with alpha. */
export function rgba(c: Rgb, alpha = 1): string {
  return `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${alpha})`;
}

/** The largest absolute finite value of several arrays (the shared scale of a heatmap row). */
export function sharedLimit(arrays: readonly Float32Array[], quantile = 0.98): number {
  let n = 0;
  for (const a of arrays) n += a.length;
  if (n === 0) return 1;
  const abs = new Float32Array(n);
  let k = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) abs[k++] = Number.isFinite(a[i]) ? Math.abs(a[i]) : 0;
  abs.sort();
  // A high quantile, not the max: one outlier would wash every other cell out.
  const q = abs[Math.min(n - 1, Math.floor(quantile * (n - 1)))];
  return q > 0 ? q : abs[n - 1] > 0 ? abs[n - 1] : 1;
}

/**
 * Paints a [t, d] row-major feature matrix as an image t pixels wide and d tall, so time runs
 * left to right like the tracks: pixel (x = k, y = j) is feature j of bin k.
 */
export function featureImage(
  values: Float32Array,
  t: number,
  d: number,
  colour: (v: number) => Rgb,
  out: Uint8ClampedArray<ArrayBuffer> = new Uint8ClampedArray(t * d * 4),
): Uint8ClampedArray<ArrayBuffer> {
  for (let k = 0; k < t; k++) {
    for (let j = 0; j < d; j++) {
      const c = colour(values[k * d + j]);
      const p = 4 * (j * t + k);
      out[p] = c[0];
      out[p + 1] = c[1];
      out[p + 2] = c[2];
      out[p + 3] = 255;
    }
  }
  return out;
}
