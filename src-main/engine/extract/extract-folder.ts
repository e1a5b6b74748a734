/**
 * `dar extract` and the studio's "Import videos": a folder of videos becomes a clip folder
 * (clip-writer.ts, label-table.ts, extraction-manifest.ts). Each video goes through
 * clip-extract.ts; one that fails is recorded with its coded error and the run goes on. A
 * rerun with `resume` skips clips whose .npz and manifest entry are there (and whose source is
 * unchanged); a cancel stops between stages and keeps everything written so far.
 */
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ExtractClipResult, ExtractParams, ExtractProgress, ExtractReport, ExtractStage } from '#contract/extract';
import { DarError, toErrorInfo } from '../errors';
import type { MediaContext } from '../media/media-cache';
import { mediaContext } from '../media/media-cache';
import type { MediaTools } from '#contract/media';
import type { ToolRunner } from '../media/tool-runner';
import type { ClipContext, ClipFeatures } from './clip-extract';
import { extractClip } from './clip-extract';
import { featureFile, writeClip } from './clip-writer';
import type { Extractors } from './extractor-types';
import type { ExtractionManifest, ManifestClip } from './extraction-manifest';
import { readManifestFile, stampsOf, writeManifest } from './extraction-manifest';
import { labelRows, readLabelRows, writeLabelCsv } from './label-table';
import { checkExtractors } from './provenance';
import type { SourceVideo } from './scan';
import { scanVideos } from './scan';
import { newManifest, recordColumns } from './run-manifest';

/** Default face frames per second. */
export const DEFAULT_FPS = 10;
/** Seconds between manifest saves during a run (a crash redoes at most this much). */
const SAVE_EVERY_S = 2;

/** Options of {@link extractFolder}: the params plus what tests and shells inject. */
export interface ExtractOptions extends ExtractParams {
  extractors?: Extractors;
  /** The media cache for probes [a folder inside `out`]. */
  cacheDir?: string;
  tools?: MediaTools;
  runner?: ToolRunner;
  signal?: AbortSignal;
  onProgress?: (p: ExtractProgress) => void;
  /** BERT model download progress, 0..1 (first use only). */
  onModelProgress?: (fraction: number) => void;
}

const STAGES: readonly ExtractStage[] = ['probe', 'audio', 'acoustic', 'visual', 'language', 'write'];

function checkParams(o: ExtractOptions): { fps: number; preset: NonNullable<ExtractParams['acoustic']> } {
  const fps = o.fps ?? DEFAULT_FPS;
  if (!(fps >= 1 && fps <= 60)) throw new DarError('ARG_INVALID', `fps must be 1..60, got ${fps}`);
  const preset = o.acoustic ?? 'mmsa-librosa';
  if (preset !== 'mmsa-librosa' && preset !== 'chsims') throw new DarError('ARG_INVALID', `acoustic preset must be mmsa-librosa or chsims, got ${String(preset)}`);
  return { fps, preset };
}

/** The manifest to continue, or null for a fresh folder; refuses to write over anything else. */
async function prepareOut(out: string, resume: boolean): Promise<ExtractionManifest | null> {
  await mkdir(out, { recursive: true });
  const existing = await readManifestFile(out);
  if (existing && resume) return existing;
  const entries = (await readdir(out)).filter((n) => !n.startsWith('.'));
  if (entries.length > 0) {
    const why = existing ? 'holds an earlier extraction; pass --resume to continue it' : 'is not empty and holds no extraction';
    throw new DarError('ARG_INVALID', `${out} ${why} (or choose an empty folder)`);
  }
  return null;
}

async function isDone(root: string, video: SourceVideo, clip: ManifestClip | undefined): Promise<boolean> {
  if (clip?.status !== 'written') return false;
  const info = await stat(video.file);
  if (info.size !== clip.bytes || info.mtimeMs !== clip.mtimeMs) return false;
  return (await stat(featureFile(root, video.videoId, video.clipId)).catch(() => null))?.isFile() ?? false;
}

/** The run's mutable state, shared by its helpers. */
interface Run {
  o: ExtractOptions;
  root: string;
  media: MediaContext;
  manifest: ExtractionManifest;
  report: ExtractReport;
  videos: SourceVideo[];
  totalBytes: number;
  bytesDone: number;
  bytesSkipped: number;
  started: number;
  lastSave: number;
}

function progress(run: Run, index: number, stage: ExtractStage): void {
  const { report, videos } = run;
  const worked = run.bytesDone;
  const elapsed = (performance.now() - run.started) / 1000;
  const left = run.totalBytes - run.bytesSkipped - worked;
  run.o.onProgress?.({
    index,
    total: videos.length,
    file: videos[index]?.name ?? '',
    stage,
    fraction: run.totalBytes > 0 ? (run.bytesSkipped + worked) / run.totalBytes : 1,
    etaSeconds: worked > 0 ? (elapsed * left) / worked : null,
    done: report.written,
    skipped: report.skipped,
    failed: report.failed,
  });
}

async function save(run: Run, final: boolean): Promise<void> {
  if (!final && performance.now() - run.lastSave < SAVE_EVERY_S * 1000) return;
  run.lastSave = performance.now();
  const written = run.manifest.clips.filter((c) => c.status === 'written');
  await writeLabelCsv(run.root, labelRows(written, await readLabelRows(run.root)));
  await writeManifest(run.root, run.manifest);
}

function record(run: Run, video: SourceVideo, clip: Omit<ManifestClip, 'id' | 'file' | 'bytes'>): void {
  const id = `${video.videoId}$_$${video.clipId}`;
  run.manifest.clips = run.manifest.clips.filter((c) => c.id !== id);
  run.manifest.clips.push({ id, file: video.name, bytes: video.bytes, ...clip });
  run.manifest.clips.sort((a, b) => (a.id < b.id ? -1 : 1));
}

function written(f: ClipFeatures, video: SourceVideo, mtimeMs: number): Omit<ManifestClip, 'id' | 'file' | 'bytes'> {
  const transcript = video.transcript ? { file: path.basename(video.transcript), wordTiming: f.transcript.timing } : null;
  return { mtimeMs, status: 'written', notes: f.notes, text: f.words, duration: f.duration, frames: { l: f.text.t, a: f.audio.t, v: f.vision.t }, transcript };
}

async function oneClip(run: Run, ctx: ClipContext, video: SourceVideo): Promise<ExtractClipResult> {
  const id = `${video.videoId}$_$${video.clipId}`;
  const t0 = performance.now();
  const mtimeMs = (await stat(video.file)).mtimeMs;
  try {
    const f = await extractClip(video, ctx);
    ctx.onStage('write');
    const w0 = performance.now();
    recordColumns(run.manifest, f);
    await writeClip(run.root, video, f, run.media, run.o.signal);
    ctx.time('write', (performance.now() - w0) / 1000);
    run.report.timings.mediaSeconds += f.duration;
    record(run, video, written(f, video, mtimeMs));
    return { file: video.name, id, status: 'written', notes: f.notes, seconds: (performance.now() - t0) / 1000 };
  } catch (err) {
    if (run.o.signal?.aborted) throw err;
    const error = toErrorInfo(err);
    record(run, video, { mtimeMs, status: 'failed', error, notes: [], text: '', duration: 0, frames: { l: 0, a: 0, v: 0 }, transcript: null });
    return { file: video.name, id, status: 'failed', error, notes: [], seconds: (performance.now() - t0) / 1000 };
  }
}

async function loop(run: Run, ctx: Omit<ClipContext, 'onStage'>): Promise<void> {
  const previous = new Map(run.manifest.clips.map((c) => [c.id, c]));
  for (const [index, video] of run.videos.entries()) {
    const id = `${video.videoId}$_$${video.clipId}`;
    if (await isDone(run.root, video, previous.get(id))) {
      run.report.clips.push({ file: video.name, id, status: 'skipped', notes: previous.get(id)?.notes ?? [], seconds: 0 });
      run.report.skipped++;
      run.bytesSkipped += video.bytes;
      continue;
    }
    const onStage = (stage: ExtractStage): void => {
      if (run.o.signal?.aborted) throw run.o.signal.reason;
      progress(run, index, stage);
    };
    const result = await oneClip(run, { ...ctx, onStage }, video);
    run.report.clips.push(result);
    run.report[result.status === 'written' ? 'written' : 'failed']++;
    run.bytesDone += video.bytes;
    await save(run, false);
  }
}

function emptyReport(out: string): ExtractReport {
  const timings = Object.fromEntries(STAGES.map((s) => [s, 0])) as ExtractReport['timings'];
  return { out, clips: [], written: 0, skipped: 0, failed: 0, cancelled: false, warnings: [], timings: { ...timings, mediaSeconds: 0, wall: 0 } };
}

async function writeDatasetJson(root: string, source: string): Promise<void> {
  const file = path.join(root, 'dataset.json');
  if (await stat(file).catch(() => null)) return;
  const description = `Features extracted by DAR Studio from the videos in ${source}. Labels are placeholders (0, labelled = 0 in label.csv) until you set them.`;
  await writeFile(file, JSON.stringify({ name: path.basename(root), synthetic: false, description }, null, 1));
}

/** Extracts every video of `o.videos` into the clip folder `o.out`. */
export async function extractFolder(o: ExtractOptions): Promise<ExtractReport> {
  const { fps, preset } = checkParams(o);
  const root = path.resolve(o.out);
  const videos = await scanVideos(o.videos);
  if (videos.length === 0) throw new DarError('DATASET_EMPTY', `${path.resolve(o.videos)}: no video files`);
  const previous = await prepareOut(root, o.resume === true);
  // Loaded on first use: the face and text models' libraries are heavy, and every `dar` command imports this file.
  const extractors = o.extractors ?? (await (await import('./default-extractors')).defaultExtractors());
  const manifest = newManifest(path.resolve(o.videos), extractors, { fps, preset, modelDir: o.bertModel });
  if (previous) {
    checkExtractors(stampsOf(previous.extractors), stampsOf(manifest.extractors), `the folder's earlier extraction (use the same settings, or another --out)`);
    Object.assign(manifest, { extractors: previous.extractors, clips: previous.clips });
  }
  const media = await mediaContext({ cacheDir: o.cacheDir ?? path.join(root, '.cache'), tools: o.tools, runner: o.runner });
  const report = emptyReport(root);
  const run: Run = { o, root, media, manifest, report, videos, totalBytes: videos.reduce((s, v) => s + v.bytes, 0), bytesDone: 0, bytesSkipped: 0, started: performance.now(), lastSave: performance.now() };
  const encoder = await extractors.language.createEncoder({ modelDir: o.bertModel, onProgress: o.onModelProgress });
  const tracker = await extractors.visual.createTracker(fps).catch((err: unknown) => {
    encoder.dispose();
    throw err;
  });
  try {
    await loop(run, { media, extractors, encoder, tracker, fps, preset, signal: o.signal, time: (s, sec) => (report.timings[s] += sec) });
  } catch (err) {
    if (!o.signal?.aborted) throw err;
    report.cancelled = true;
  } finally {
    tracker.dispose();
    encoder.dispose();
  }
  await writeDatasetJson(root, path.resolve(o.videos));
  await save(run, true);
  report.timings.wall = (performance.now() - run.started) / 1000;
  const usable = manifest.clips.filter((c) => c.status === 'written').length;
  if (usable < 3) report.warnings.push(`only ${usable} clip(s) extracted: a clip folder needs a clip in each of train, valid and test before the studio opens it`);
  return report;
}
