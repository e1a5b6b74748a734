import { join } from 'node:path';
import type { Modality, PerModality } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';
import { DarError, shapeStr } from '../../errors';
import type { ClipFolderMeta, ManifestRow } from './manifest';
import type { FeatureFileOptions, FeatureMatrix } from '../feature-files/feature-file';
import { MODALITY_KEYS, featuresFromNpz, loadFeatureFile } from '../feature-files/feature-file';
import type { NpyArray } from '../feature-files/npy';
import { readNpz } from '../feature-files/npz';

/** One clip's features as read from its files, before padding. */
export interface LoadedClip {
  row: ManifestRow;
  id: string;
  feats: PerModality<FeatureMatrix>;
  /** Root-relative file each modality came from, for messages. */
  sources: PerModality<string>;
  /** Duration in seconds from the .npz, if it gives one. */
  duration?: number;
}

/** Per-modality file extensions tried, in order, when the clip has no .npz. */
const SEPARATE: PerModality<readonly string[]> = { l: ['.npy'], a: ['.npy', '.csv'], v: ['.npy', '.csv'] };

async function orMissing<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof DarError && err.code === 'FILE_NOT_FOUND') return undefined;
    throw err;
  }
}

/** Reads one clip: features/<video>/<clip>.npz first, else the per-modality files. */
export async function loadClip(root: string, row: ManifestRow, meta: ClipFolderMeta): Promise<LoadedClip> {
  const id = `${row.videoId}$_$${row.clipId}`;
  const npzRel = join('features', row.videoId, `${row.clipId}.npz`);
  const arrays = await orMissing(readNpz(join(root, npzRel)));
  const feats = {} as PerModality<FeatureMatrix>;
  const sources = {} as PerModality<string>;
  for (const m of MODALITIES) {
    const fromNpz = arrays && featuresFromNpz(arrays, MODALITY_KEYS[m], join(root, npzRel));
    if (fromNpz) {
      feats[m] = fromNpz;
      sources[m] = npzRel;
      continue;
    }
    const found = await loadSeparate(root, row, m, meta);
    if (!found) {
      const tried = [npzRel, ...SEPARATE[m].map((ext) => separatePath(row, m, ext))].join(', ');
      throw new DarError(
        'DATASET_MISSING_FEATURES',
        `${root}: clip ${id} (label.csv line ${row.line}) has no ${MODALITY_KEYS[m]} features; tried ${tried}`,
      );
    }
    [feats[m], sources[m]] = found;
  }
  return { row, id, feats, sources, duration: arrays && readDuration(arrays, join(root, npzRel)) };
}

function separatePath(row: ManifestRow, m: Modality, ext: string): string {
  return join('features', MODALITY_KEYS[m], row.videoId, `${row.clipId}${ext}`);
}

async function loadSeparate(
  root: string,
  row: ManifestRow,
  m: Modality,
  meta: ClipFolderMeta,
): Promise<[FeatureMatrix, string] | undefined> {
  const options: FeatureFileOptions = {};
  if (m === 'a' && meta.audioLayout) options.layout = meta.audioLayout;
  if (m === 'v' && meta.visionColumns) options.columns = meta.visionColumns;
  for (const ext of SEPARATE[m]) {
    const rel = separatePath(row, m, ext);
    const feats = await orMissing(loadFeatureFile(join(root, rel), m, options));
    if (feats) return [feats, rel];
  }
  return undefined;
}

/** The optional "duration" array: a positive scalar or [1]. */
function readDuration(arrays: ReadonlyMap<string, NpyArray>, name: string): number | undefined {
  const arr = arrays.get('duration');
  if (!arr) return undefined;
  const value = arr.data[0];
  if (arr.data.length !== 1 || !(value > 0) || !Number.isFinite(value)) {
    throw new DarError('DATASET_SHAPE', `${name}: duration: expected one positive number of seconds, got ${shapeStr(arr.shape)} ${arr.data.length === 1 ? value : ''}`.trim());
  }
  return value;
}

/** Runs `fn` over `items` with at most `limit` calls in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i], i);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
