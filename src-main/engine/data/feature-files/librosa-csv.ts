import { DarError } from '../../errors';
import { parseCsvRecords } from './csv';
import type { FeatureLayout, FeatureMatrix } from './frames';
import { matrixFromArray, parseNumberCell, spansFromStarts, uniformSpans } from './frames';
import type { NpyArray } from './npy';
import { readBytes, readNpy } from './npy';

/** Options of the Librosa feature readers. */
export interface LibrosaOptions {
  /** Layout of a 2-D .npy array: 'time-major' [T, D] (default) or librosa's 'feature-major' [D, T]. */
  layout?: FeatureLayout;
  /** Hop length (samples) and sample rate: frame i spans [i, i + 1) * hop / sr seconds. */
  hop?: number;
  sr?: number;
}

/** Header names of a first column that holds frame start times (compared case-insensitively). */
const TIME_COLUMNS = new Set(['time', 'timestamp']);

/** Frame spans implied by hop / sr, or undefined (spread uniformly) when either is missing. */
function hopSpans(t: number, options: LibrosaOptions): Float32Array | undefined {
  const { hop, sr } = options;
  if (hop === undefined || sr === undefined) return undefined;
  if (!(hop > 0) || !(sr > 0)) throw new DarError('ARG_INVALID', `librosa: hop and sr must be positive, got hop=${hop}, sr=${sr}`);
  return uniformSpans(t, hop / sr);
}

/** Librosa features from a parsed .npy array. */
export function librosaFromNpy(arr: NpyArray, options: LibrosaOptions = {}): FeatureMatrix {
  const m = matrixFromArray(arr, options.layout);
  const spans = hopSpans(m.t, options);
  return spans ? { ...m, spans } : m;
}

/** Reads Librosa features saved with np.save. */
export async function readLibrosaNpy(path: string, options: LibrosaOptions = {}): Promise<FeatureMatrix> {
  return librosaFromNpy(await readNpy(path), options);
}

/** Reads Librosa features saved as CSV. */
export async function readLibrosaCsv(path: string, options: LibrosaOptions = {}): Promise<FeatureMatrix> {
  return parseLibrosaCsv(new TextDecoder().decode(await readBytes(path)), path, options);
}

/**
 * Parses Librosa features as CSV: one row per frame, an optional header row (recognised by a
 * non-numeric cell) and an optional first `time`/`timestamp` column of frame start times.
 */
export function parseLibrosaCsv(text: string, name = '<librosa.csv>', options: LibrosaOptions = {}): FeatureMatrix {
  const records = parseCsvRecords(text, name);
  const hasHeader = records.length > 0 && records[0].fields.some((c) => parseNumberCell(c) === undefined);
  const header = hasHeader ? records[0].fields.map((h) => h.trim()) : undefined;
  const rows = hasHeader ? records.slice(1) : records;
  const timed = header !== undefined && TIME_COLUMNS.has(header[0].toLowerCase());
  const width = header?.length ?? rows[0]?.fields.length ?? 0;
  const d = timed ? width - 1 : width;
  const t = rows.length;
  const data = new Float32Array(t * d);
  const starts = new Float64Array(t);
  let nonfinite = 0;
  rows.forEach((r, i) => {
    if (r.fields.length !== width) {
      throw new DarError('CSV_MALFORMED', `${name}: line ${r.line}: expected ${width} fields (as ${hasHeader ? 'the header' : 'line ' + rows[0].line}), got ${r.fields.length}`);
    }
    r.fields.forEach((c, k) => {
      const v = parseNumberCell(c);
      if (v === undefined) {
        const column = header ? `'${header[k]}'` : String(k + 1);
        throw new DarError('CSV_MALFORMED', `${name}: line ${r.line}, column ${column}: expected a number, got '${c.trim()}'`);
      }
      if (timed && k === 0) starts[i] = v;
      else if (Number.isFinite(v)) data[i * d + k - (timed ? 1 : 0)] = v;
      else nonfinite++;
    });
  });
  const spans = timed ? spansFromStarts(starts, (i) => `${name}: line ${rows[i].line}, column '${header[0]}'`) : hopSpans(t, options);
  return spans ? { data, t, d, spans, nonfinite, warnings: [] } : { data, t, d, nonfinite, warnings: [] };
}
