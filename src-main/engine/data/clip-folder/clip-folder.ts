/**
 * Clip folders: a dataset as one folder of per-clip feature files plus a manifest.
 *
 * ```
 * <root>/label.csv        MMSA-FET style manifest: columns video_id, clip_id, text, label, mode
 *                         (mode in train|valid|test; label a number in [-3, 3]; extra columns
 *                         like annotation, label_T ignored; column order free; header required)
 * <root>/dataset.json     optional: { "name", "synthetic": bool, "description",
 *                         "seqLen": {"l","a","v"}, "audioLayout": "time-major"|"feature-major",
 *                         "visionColumns": [..] }
 * <root>/features/<video_id>/<clip_id>.npz
 *                         arrays "text" [T_l, d_l], "audio" [T_a, d_a], "vision" [T_v, d_v]
 *                         (always time-major); optional "text_spans"/"audio_spans"/"vision_spans"
 *                         [T_m, 2] (start, end in s); optional "duration" (scalar or [1], in s)
 *   or, per modality (used for any modality the npz is absent or lacks):
 * <root>/features/text/<video_id>/<clip_id>.npy
 * <root>/features/audio/<video_id>/<clip_id>.npy | .csv   (Librosa; "audioLayout" applies to .npy)
 * <root>/features/vision/<video_id>/<clip_id>.npy | .csv  (OpenFace 2.x CSV; "visionColumns"
 *                                                          selects its feature columns)
 * <root>/Raw/<video_id>/<clip_id>.mp4   optional video (also .mkv/.avi/.mov/.webm)
 * <root>/extraction.json   optional: written by `dar extract` (engine/extract); its extractor
 *                          stamps become info.extractors, which checkpoints record
 * ```
 *
 * Clip ids are "video_id$_$clip_id". Every split needs at least one clip. seqLen defaults to the
 * longest clip per modality; longer clips are truncated (summarised in info.warnings). Timing:
 * duration from the npz, else the latest frame span end, else unknown; spans from *_spans, an
 * OpenFace timestamp column or a Librosa time column. Non-finite values become 0 (counted).
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Dataset, PerModality, SplitData, SplitName } from '#contract/dataset';
import { DarError } from '../../errors';
import type { AssembleStats } from './assemble';
import { assembleSplit, checkDims, maxLengths, truncationWarning } from './assemble';
import type { LoadedClip } from './load';
import { loadClip, mapLimit } from './load';
import type { ManifestRow } from './manifest';
import { readDatasetJson, readManifest } from './manifest';
import { readExtractorStamps } from '../../extract/extraction-manifest';

const SPLITS: readonly SplitName[] = ['train', 'valid', 'test'];
const VIDEO_EXTENSIONS = ['.mp4', '.mkv', '.avi', '.mov', '.webm'];
/** Files read at once: enough to hide latency, few enough not to exhaust file handles. */
const CONCURRENCY = 8;
/** Feature-file warnings kept verbatim before the rest are only counted. */
const MAX_FILE_WARNINGS = 5;

/** Reads a clip folder (format above) into a Dataset. */
export async function readClipFolder(dir: string): Promise<Dataset> {
  const root = resolve(dir);
  await requireDir(root);
  const meta = await readDatasetJson(root);
  const rows = await readManifest(root);
  requireSplits(rows, join(root, 'label.csv'));
  const clips = await mapLimit(rows, CONCURRENCY, (row) => loadClip(root, row, meta));
  const dims = checkDims(root, clips);
  const longest = maxLengths(clips);
  const seqLen: PerModality<number> = { l: meta.seqLen?.l ?? longest.l, a: meta.seqLen?.a ?? longest.a, v: meta.seqLen?.v ?? longest.v };
  const stats: AssembleStats = { truncated: { l: 0, a: 0, v: 0 }, nonfinite: { l: 0, a: 0, v: 0 } };
  const splits = {} as Record<SplitName, SplitData>;
  for (const split of SPLITS) {
    splits[split] = assembleSplit(clips.filter((c) => c.row.mode === split), seqLen, dims, stats);
  }
  const warnings = fileWarnings(clips);
  const truncation = truncationWarning(stats.truncated, seqLen);
  if (truncation) warnings.push(truncation);
  const dataset: Dataset = {
    info: {
      format: 'clip-folder',
      path: root,
      name: meta.name ?? basename(root),
      dims,
      seqLen,
      aligned: false,
      nonfinite: stats.nonfinite,
      synthetic: meta.synthetic,
      description: meta.description,
      warnings,
      extractors: await readExtractorStamps(root),
    },
    splits,
  };
  if (await isDir(join(root, 'Raw'))) await linkRawVideos(dataset, join(root, 'Raw'));
  return dataset;
}

/** Every split needs a clip; an empty manifest is a different mistake than a forgotten split. */
function requireSplits(rows: readonly ManifestRow[], manifest: string): void {
  if (rows.length === 0) throw new DarError('DATASET_EMPTY', `${manifest}: no clips`);
  for (const split of SPLITS) {
    if (!rows.some((r) => r.mode === split)) {
      throw new DarError('DATASET_MISSING_SPLIT', `${manifest}: no clip has mode '${split}' (every split needs one)`);
    }
  }
}

/** The feature readers' own warnings (e.g. dropped faces), the first few verbatim. */
function fileWarnings(clips: readonly LoadedClip[]): string[] {
  const all = clips.flatMap((c) => [...c.feats.l.warnings, ...c.feats.a.warnings, ...c.feats.v.warnings]);
  if (all.length <= MAX_FILE_WARNINGS) return all;
  return [...all.slice(0, MAX_FILE_WARNINGS), `... and ${all.length - MAX_FILE_WARNINGS} more warnings like these`];
}

async function isDir(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

async function requireDir(path: string): Promise<void> {
  if (!(await isDir(path))) throw new DarError('FILE_NOT_FOUND', `no such folder: ${path}`);
}

/**
 * Sets `videos[i]` of every split to the absolute path of `<rawDir>/<video_id>/<clip_id>.mp4`
 * (or .mkv/.avi/.mov/.webm) when it exists, splitting MMSA ids "video$_$clip"; returns how many
 * clips got a video.
 */
export async function linkRawVideos(ds: Dataset, rawDir: string): Promise<number> {
  const root = resolve(rawDir);
  await requireDir(root);
  // One listing per video folder instead of a stat per clip and extension.
  const listings = new Map<string, Promise<Set<string>>>();
  const list = (videoId: string): Promise<Set<string>> => {
    let p = listings.get(videoId);
    if (!p) {
      p = readdir(join(root, videoId)).then((names) => new Set(names), () => new Set<string>());
      listings.set(videoId, p);
    }
    return p;
  };
  let linked = 0;
  for (const split of SPLITS) {
    const data = ds.splits[split];
    const videos = data.videos ?? new Array<string | undefined>(data.n).fill(undefined);
    data.videos = videos;
    await mapLimit(data.ids, CONCURRENCY, async (id, i) => {
      const cut = id.indexOf('$_$');
      const videoId = id.slice(0, cut);
      const clipId = id.slice(cut + 3);
      if (cut < 0 || [videoId, clipId].some((p) => p === '' || p === '..' || /[/\\]/.test(p))) return;
      const names = await list(videoId);
      const file = VIDEO_EXTENSIONS.map((ext) => clipId + ext).find((f) => names.has(f));
      if (file) {
        videos[i] = join(root, videoId, file);
        linked++;
      }
    });
  }
  return linked;
}
