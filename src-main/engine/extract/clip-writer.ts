/**
 * Writes one extracted clip into the clip folder: the video under Raw/<video_id>/ (a hard link
 * where the file system allows, else a copy; containers the loader does not link, remuxed to
 * .mkv without re-encoding), then features/<video_id>/<clip_id>.npz, atomically and last, so
 * its presence means the clip is whole. The .npz holds text, audio, vision (time-major), their
 * *_spans [T, 2] in seconds, vision_missing [T] (1 = no face in that frame) and duration.
 */
import { copyFile, link, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeNpz } from '../data/feature-files/npz';
import type { MediaContext } from '../media/media-cache';
import { inputArgs } from '../media/probe-media';
import { runOk } from '../media/tool-runner';
import type { ClipFeatures } from './clip-extract';
import type { SourceVideo } from './scan';

/** Containers the clip-folder reader links from Raw/ (clip-folder.ts). */
const LINKED = ['.mp4', '.mkv', '.avi', '.mov', '.webm'];

/** The .npz of a clip inside the clip folder. */
export function featureFile(root: string, videoId: string, clipId: string): string {
  return path.join(root, 'features', videoId, `${clipId}.npz`);
}

async function placeRaw(root: string, video: SourceVideo, media: MediaContext, signal?: AbortSignal): Promise<void> {
  const ext = path.extname(video.file).toLowerCase();
  const dir = path.join(root, 'Raw', video.videoId);
  await mkdir(dir, { recursive: true });
  const target = path.join(dir, video.clipId + (LINKED.includes(ext) ? ext : '.mkv'));
  await rm(target, { force: true });
  if (!LINKED.includes(ext)) {
    const args = ['-hide_banner', '-v', 'error', '-nostdin', ...inputArgs(video.file), '-map', '0', '-c', 'copy', '-f', 'matroska', '-y', target];
    await runOk(media.runner, media.tools.ffmpeg, args, 'ffmpeg (remux)', video.file, { signal });
    return;
  }
  await link(video.file, target).catch(() => copyFile(video.file, target));
}

/** Writes the clip's video and features; the .npz goes last. */
export async function writeClip(root: string, video: SourceVideo, f: ClipFeatures, media: MediaContext, signal?: AbortSignal): Promise<void> {
  await placeRaw(root, video, media, signal);
  const entry = (t: { data: Float32Array; t: number; d: number }) => ({ data: t.data, shape: [t.t, t.d] });
  const spans = (t: { spans: Float32Array; t: number }) => ({ data: t.spans, shape: [t.t, 2] });
  await writeNpz(featureFile(root, video.videoId, video.clipId), {
    text: entry(f.text),
    text_spans: spans(f.text),
    audio: entry(f.audio),
    audio_spans: spans(f.audio),
    vision: entry(f.vision),
    vision_spans: spans(f.vision),
    vision_missing: { data: f.vision.missing, shape: [f.vision.t], dtype: '|u1' },
    duration: { data: Float64Array.of(f.duration), shape: [1] },
  });
}
