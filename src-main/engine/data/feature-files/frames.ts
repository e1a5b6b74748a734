import { DarError } from '../../errors';

/** One clip's features of one modality as read from a file: `t` frames of `d` values, row-major. */
export interface FeatureMatrix {
  data: Float32Array;
  t: number;
  d: number;
  /** Frame spans in seconds, [start, end) per frame (2 * t values), when the file gives times. */
  spans?: Float32Array;
  /** Frames the source reports missing (OpenFace success = 0), 1 = missing. */
  missing?: Uint8Array;
  /** Non-finite values found (already replaced by 0). */
  nonfinite: number;
  /** Things the reader fixed up (dropped faces, ...). */
  warnings: string[];
}

/** Frame length assumed when a file has a single timed frame (OpenFace's default 30 fps). */
export const SINGLE_FRAME_SECONDS = 1 / 30;

/** Replaces NaN and +-Inf by 0 in place; returns how many there were. */
export function zeroNonFinite(data: Float32Array): number {
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      data[i] = 0;
      n++;
    }
  }
  return n;
}

/**
 * Frame spans from frame start times: frame i lasts until frame i + 1 starts, the last one for
 * the median step. Starts must not decrease; `where(i)` names frame i in the error.
 */
export function spansFromStarts(starts: ArrayLike<number>, where: (i: number) => string): Float32Array {
  const t = starts.length;
  const steps: number[] = [];
  for (let i = 0; i < t; i++) {
    if (!Number.isFinite(starts[i])) throw new DarError('CSV_MALFORMED', `${where(i)}: time must be a finite number, got ${starts[i]}`);
  }
  for (let i = 1; i < t; i++) {
    const step = starts[i] - starts[i - 1];
    if (!(step >= 0)) {
      throw new DarError('CSV_MALFORMED', `${where(i)}: time ${starts[i]} is before the previous frame's ${starts[i - 1]}`);
    }
    steps.push(step);
  }
  steps.sort((a, b) => a - b);
  const median = steps.length === 0 ? SINGLE_FRAME_SECONDS : steps[steps.length >> 1];
  const spans = new Float32Array(2 * t);
  for (let i = 0; i < t; i++) {
    spans[2 * i] = starts[i];
    spans[2 * i + 1] = i + 1 < t ? starts[i + 1] : starts[i] + median;
  }
  return spans;
}

/** Uniform spans of `step` seconds from 0, e.g. librosa frames of hop / sr. */
export function uniformSpans(t: number, step: number): Float32Array {
  const spans = new Float32Array(2 * t);
  for (let i = 0; i < t; i++) {
    spans[2 * i] = i * step;
    spans[2 * i + 1] = (i + 1) * step;
  }
  return spans;
}

/** Parses a numeric CSV cell ('nan', 'inf', '-inf' in any case allowed); undefined if not a number. */
export function parseNumberCell(cell: string): number | undefined {
  const s = cell.trim();
  if (s === '') return undefined;
  const n = Number(s);
  if (!Number.isNaN(n)) return n;
  const m = /^([-+]?)(nan|inf|infinity)$/i.exec(s);
  if (!m) return undefined;
  if (m[2].toLowerCase() === 'nan') return Number.NaN;
  return m[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
}

/** How a 2-D feature array is laid out: [T, D] (default) or librosa's natural [D, T]. */
export type FeatureLayout = 'time-major' | 'feature-major';

/**
 * A float32 [T, D] matrix from a numeric array (1-D = one feature per frame), transposing a
 * feature-major [D, T] one; non-finite values are zeroed (in a copy) and counted. The result
 * shares `arr.data` when `arr.nonfinite` is 0, so neither may be modified afterwards.
 */
export function matrixFromArray(
  arr: { name: string; shape: number[]; data: ArrayLike<number>; nonfinite?: number },
  layout: FeatureLayout = 'time-major',
): FeatureMatrix {
  const { shape } = arr;
  if (shape.length !== 1 && shape.length !== 2) {
    throw new DarError('DATASET_SHAPE', `${arr.name}: expected a [T, D] feature matrix, got [${shape.join(',')}]`);
  }
  const rows = shape[0];
  const cols = shape.length === 2 ? shape[1] : 1;
  // Shared, not copied, when there is nothing to zero: the caller's array is never modified.
  const clean = arr.data instanceof Float32Array && arr.nonfinite === 0;
  const data = clean ? (arr.data as Float32Array) : Float32Array.from(arr.data);
  if (layout === 'feature-major' && shape.length === 2) {
    const out = new Float32Array(data.length);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j];
    return { data: out, t: cols, d: rows, nonfinite: zeroNonFinite(out), warnings: [] };
  }
  return { data, t: rows, d: cols, nonfinite: clean ? 0 : zeroNonFinite(data), warnings: [] };
}
