import { DarError } from '../../errors';
import type { CsvRecord } from './csv';
import { parseCsvRecords } from './csv';
import type { FeatureMatrix } from './frames';
import { parseNumberCell, spansFromStarts } from './frames';
import { readBytes } from './npy';

/** Options of {@link parseOpenFaceCsv}. */
export interface OpenFaceOptions {
  /** Feature columns to keep, by header name, in this order; default every non-metadata column. */
  columns?: readonly string[];
}

/** OpenFace features of one clip, with the per-frame metadata. */
export interface OpenFaceFeatures extends FeatureMatrix {
  spans: Float32Array;
  missing: Uint8Array;
  /** Names of the feature columns, in feature order. */
  columns: string[];
  /** Per kept frame: timestamp (s) and detection confidence (0 when the file has none). */
  timestamps: Float64Array;
  confidence: Float32Array;
}

/** Metadata columns of OpenFace 2.x; everything else is a feature. */
const META = ['frame', 'face_id', 'timestamp', 'confidence', 'success'];

/** True when a CSV header (names trimmed) is an OpenFace one: frame, timestamp and success present. */
export function isOpenFaceHeader(header: readonly string[]): boolean {
  const names = new Set(header.map((h) => h.trim()));
  return names.has('frame') && names.has('timestamp') && names.has('success');
}

/** Reads an OpenFace 2.x CSV file (FeatureExtraction / FaceLandmarkVidMulti output). */
export async function readOpenFaceCsv(path: string, options: OpenFaceOptions = {}): Promise<OpenFaceFeatures> {
  const text = new TextDecoder().decode(await readBytes(path));
  return parseOpenFaceCsv(text, path, options);
}

/**
 * Parses OpenFace 2.x CSV text. Rows with success = 0 become zero frames flagged missing;
 * only the lowest face_id (face 0) is kept; non-finite values are zeroed and counted.
 */
export function parseOpenFaceCsv(text: string, name = '<openface.csv>', options: OpenFaceOptions = {}): OpenFaceFeatures {
  const records = parseCsvRecords(text, name);
  if (records.length === 0) throw new DarError('CSV_MALFORMED', `${name}: empty file, expected an OpenFace header`);
  const header = records[0].fields.map((h) => h.trim());
  if (!isOpenFaceHeader(header)) {
    throw new DarError('CSV_MALFORMED', `${name}: line 1: not an OpenFace header (needs frame, timestamp, success), got "${header.slice(0, 6).join(', ')}"`);
  }
  const columns = options.columns ? [...options.columns] : header.filter((h) => !META.includes(h));
  const featureIdx = columns.map((c) => {
    const k = header.indexOf(c);
    if (k < 0) throw new DarError('CSV_MALFORMED', `${name}: no column '${c}' (the file has ${header.length} columns)`);
    return k;
  });
  const rows = records.slice(1);
  for (const r of rows) {
    if (r.fields.length !== header.length) {
      throw new DarError('CSV_MALFORMED', `${name}: line ${r.line}: expected ${header.length} fields (as the header), got ${r.fields.length}`);
    }
  }
  const warnings: string[] = [];
  const kept = keepFirstFace(rows, header.indexOf('face_id'), name, warnings);
  return buildFeatures(kept, header, columns, featureIdx, name, warnings);
}

/** Keeps the rows of the lowest face id; the others are dropped with a warning. */
function keepFirstFace(rows: CsvRecord[], faceCol: number, name: string, warnings: string[]): CsvRecord[] {
  if (faceCol < 0 || rows.length === 0) return rows;
  const ids = rows.map((r) => cell(r, faceCol, 'face_id', name));
  const first = ids.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
  const kept = rows.filter((_, i) => ids[i] === first);
  if (kept.length < rows.length) {
    warnings.push(`${name}: ${rows.length - kept.length} rows of other faces dropped, kept face ${first} only`);
  }
  return kept;
}

function cell(r: CsvRecord, col: number, column: string, name: string): number {
  const v = parseNumberCell(r.fields[col]);
  if (v === undefined) {
    throw new DarError('CSV_MALFORMED', `${name}: line ${r.line}, column '${column}': expected a number, got '${r.fields[col].trim()}'`);
  }
  return v;
}

function buildFeatures(
  rows: CsvRecord[],
  header: string[],
  columns: string[],
  featureIdx: number[],
  name: string,
  warnings: string[],
): OpenFaceFeatures {
  const t = rows.length;
  const d = columns.length;
  const data = new Float32Array(t * d);
  const missing = new Uint8Array(t);
  const timestamps = new Float64Array(t);
  const confidence = new Float32Array(t);
  const [tsCol, okCol, confCol] = ['timestamp', 'success', 'confidence'].map((c) => header.indexOf(c));
  let nonfinite = 0;
  rows.forEach((r, i) => {
    timestamps[i] = cell(r, tsCol, 'timestamp', name);
    if (confCol >= 0) confidence[i] = cell(r, confCol, 'confidence', name);
    if (cell(r, okCol, 'success', name) === 0) {
      missing[i] = 1;
      return;
    }
    for (let k = 0; k < d; k++) {
      const v = cell(r, featureIdx[k], columns[k], name);
      if (Number.isFinite(v)) data[i * d + k] = v;
      else nonfinite++;
    }
  });
  const spans = spansFromStarts(timestamps, (i) => `${name}: line ${rows[i].line}, column 'timestamp'`);
  return { data, t, d, spans, missing, nonfinite, warnings, columns, timestamps, confidence };
}
