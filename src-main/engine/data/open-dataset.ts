import { stat } from 'node:fs/promises';
import type { Dataset } from '#contract/dataset';
import { DarError } from '../errors';
import { linkRawVideos, readClipFolder } from './clip-folder/clip-folder';
import { readMmsaPickle } from './mmsa-pickle';

/** Options of {@link openDataset}. */
export interface OpenDatasetOptions {
  /** A `Raw/` folder (Raw/<video_id>/<clip_id>.mp4) to link videos from, for pickles. */
  raw?: string;
}

/** Opens any supported dataset: an MMSA pickle file or a clip folder with a label.csv manifest. */
export async function openDataset(path: string, options: OpenDatasetOptions = {}): Promise<Dataset> {
  const info = await stat(path).catch(() => {
    throw new DarError('FILE_NOT_FOUND', `no such file or folder: ${path}`);
  });
  const dataset = info.isDirectory() ? await readClipFolder(path) : await readMmsaPickle(path);
  if (options.raw) await linkRawVideos(dataset, options.raw);
  return dataset;
}
