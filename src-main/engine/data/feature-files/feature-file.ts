import { extname } from 'node:path';
import type { Modality } from '#contract/dataset';
import { DarError, shapeStr } from '../../errors';
import type { FeatureMatrix } from './frames';
import { matrixFromArray } from './frames';
import type { LibrosaOptions } from './librosa-csv';
import { librosaFromNpy, parseLibrosaCsv } from './librosa-csv';
import type { NpyArray } from './npy';
import { readBytes, readNpy } from './npy';
import { readNpz } from './npz';
import type { OpenFaceOptions } from './openface-csv';
import { isOpenFaceHeader, parseOpenFaceCsv } from './openface-csv';

export type { FeatureLayout, FeatureMatrix } from './frames';

/** Options of {@link loadFeatureFile}. */
export interface FeatureFileOptions extends LibrosaOptions, OpenFaceOptions {
  /** The .npz member to read; default by modality: 'text', 'audio' or 'vision'. */
  member?: string;
}

/** The .npz member name of each modality. */
export const MODALITY_KEYS: Readonly<Record<Modality, 'text' | 'audio' | 'vision'>> = {
  l: 'text',
  a: 'audio',
  v: 'vision',
};

/**
 * Loads one clip's features of one modality from a .npy, an .npz member (with optional
 * `<member>_spans`), an OpenFace 2.x CSV or a plain (Librosa) CSV; non-finite values become 0.
 */
export async function loadFeatureFile(path: string, modality: Modality, options: FeatureFileOptions = {}): Promise<FeatureMatrix> {
  const ext = extname(path).toLowerCase();
  if (ext === '.npy') return librosaFromNpy(await readNpy(path), options);
  if (ext === '.npz') {
    const member = options.member ?? MODALITY_KEYS[modality];
    const found = featuresFromNpz(await readNpz(path), member, path, options);
    if (!found) throw new DarError('DATASET_MISSING_KEY', `${path}: no array '${member}'`);
    return found;
  }
  if (ext === '.csv') {
    const text = new TextDecoder().decode(await readBytes(path));
    const firstLine = text.slice(0, text.search(/\r|\n|$/));
    const header = firstLine.replace(/^\uFEFF/, '').split(',');
    return isOpenFaceHeader(header) ? parseOpenFaceCsv(text, path, options) : parseLibrosaCsv(text, path, options);
  }
  throw new DarError('FORMAT_UNKNOWN', `${path}: unknown feature file type '${ext}' (expected .npy, .npz or .csv)`);
}

/**
 * The features stored under `member` in a read .npz (undefined when absent), with frame spans
 * from `<member>_spans` [T, 2] when present. `name` labels errors.
 */
export function featuresFromNpz(
  arrays: ReadonlyMap<string, NpyArray>,
  member: string,
  name: string,
  options: Pick<FeatureFileOptions, 'layout'> = {},
): FeatureMatrix | undefined {
  const arr = arrays.get(member);
  if (!arr) return undefined;
  const matrix = matrixFromArray(arr, options.layout);
  const missing = arrays.get(`${member}_missing`);
  if (missing) matrix.missing = missingFlags(missing, matrix.t, member, name);
  const spansArr = arrays.get(`${member}_spans`);
  if (!spansArr) return matrix;
  const { shape } = spansArr;
  if (shape.length !== 2 || shape[0] !== matrix.t || shape[1] !== 2) {
    throw new DarError('DATASET_SHAPE', `${name}: ${member}_spans: expected [${matrix.t},2] (as ${member}), got ${shapeStr(shape)}`);
  }
  const spans = Float32Array.from(spansArr.data);
  for (let i = 0; i < spans.length; i++) {
    if (!Number.isFinite(spans[i])) throw new DarError('DATASET_SHAPE', `${name}: ${member}_spans holds a non-finite time at frame ${i >> 1}`);
  }
  return { ...matrix, spans };
}

/** `<member>_missing` as 0/1 flags, one per frame. */
function missingFlags(arr: NpyArray, t: number, member: string, name: string): Uint8Array {
  if (arr.shape.length !== 1 || arr.shape[0] !== t) {
    throw new DarError('DATASET_SHAPE', `${name}: ${member}_missing: expected [${t}] (one flag per frame), got ${shapeStr(arr.shape)}`);
  }
  return Uint8Array.from(arr.data, (x) => (x !== 0 ? 1 : 0));
}
