/**
 * Which file a clip's player gets: the original when Chromium plays it, else its H.264 transcode,
 * started once per source file in the background with `media-progress` events. States are kept
 * per source (path, size, mtime), so an edited file is judged again and two refs to one file share
 * one transcode. Cancelling (dispose) kills ffmpeg and ends the state as MEDIA_CANCELLED.
 */
import type { ClipRef } from '#contract/api';
import type { EngineEvent, MediaFile } from '#contract/worker-protocol';
import type { ErrorInfo } from '#contract/errors';
import type { ClipMediaState, ClipPlayback, MediaProbe, MediaTools } from '#contract/media';
import { DarError, toErrorInfo } from '../../engine/errors';
import { cacheFile, sourceStamp } from '../../engine/media/media-cache';
import type { SourceStamp } from '../../engine/media/media-cache';
import { probeStamped } from '../../engine/media/probe-media';
import { transcodeToH264 } from '../../engine/media/transcode';
import type { ToolRunner } from '../../engine/media/tool-runner';

/** What the tracker needs: where products go, how to run tools, where events go. */
export interface PlaybackDeps {
  cacheDir: string;
  runner: ToolRunner;
  emit(event: EngineEvent): void;
}

/** The query parameter that marks a video URL as the transcode (a fresh URL for the player). */
export const CONVERTED_MARK = 'v=h264';
// Progress events at most every whole percent: a transcode must not flood the page.
const EVENT_STEP = 0.01;

interface Entry {
  playback: ClipPlayback;
  fraction: number;
  reason: string | null;
  error: ErrorInfo | null;
  /** The transcode's file, once it is complete. */
  converted: string | null;
  probe: MediaProbe | null;
  controller: AbortController | null;
  /** The clip the events name (the latest that asked). */
  clip: ClipRef;
}

/** True for what an AbortSignal rejects with (a DOMException AbortError, or our own cancel reason). */
export function isAbort(err: unknown): boolean {
  return (err instanceof Error && err.name === 'AbortError') || (err instanceof DarError && err.code === 'MEDIA_CANCELLED');
}

/** Turns a transcode's rejection into contract error data: a cancel is MEDIA_CANCELLED, not INTERNAL. */
export function transcodeError(err: unknown): ErrorInfo {
  if (err instanceof DarError) return toErrorInfo(err);
  if (isAbort(err)) return { code: 'MEDIA_CANCELLED', message: 'the conversion for playback was cancelled' };
  return toErrorInfo(err);
}

/** The URL of the converted file: the clip's URL plus a marker, so a player loads it afresh. */
export function convertedUrl(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${CONVERTED_MARK}`;
}

const stampKey = (s: SourceStamp): string => `${s.file}\n${s.size}\n${s.mtimeMs}`;

/** Tracks the playable file of every clip video the studio has shown. */
export class PlaybackTracker {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<Entry>>();

  constructor(private readonly deps: PlaybackDeps) {}

  /** The clip's state, judging the file (probe) and starting its transcode on first sight. */
  async state(clip: ClipRef, file: MediaFile, url: string, tools: MediaTools | null): Promise<ClipMediaState> {
    if (!tools) return { playback: 'unchecked', fraction: 1, reason: null, error: null, videoUrl: url, hasAudio: null, hasVideo: null };
    const entry = await this.entry(clip, file.path, tools).catch((err: unknown) => toErrorInfo(err));
    // A file that vanished or cannot be read: the clip still opens, the player reports the failure.
    if (!('playback' in entry)) return { playback: 'failed', fraction: 1, reason: null, error: entry, videoUrl: url, hasAudio: null, hasVideo: null };
    const videoUrl = entry.playback === 'converting' ? null : entry.converted ? convertedUrl(url) : url;
    return {
      playback: entry.playback,
      fraction: entry.fraction,
      reason: entry.reason,
      error: entry.error,
      videoUrl,
      hasAudio: entry.probe ? entry.probe.audio !== null : null,
      hasVideo: entry.probe ? entry.probe.video !== null : null,
    };
  }

  /** The file to stream for a clip: its transcode once complete, else the original. */
  async served(file: MediaFile): Promise<MediaFile> {
    const stamp = await sourceStamp(file.path).catch(() => null);
    const converted = stamp && this.entries.get(stampKey(stamp))?.converted;
    return converted ? { path: converted, contentType: 'video/mp4' } : file;
  }

  private async entry(clip: ClipRef, path: string, tools: MediaTools): Promise<Entry> {
    const stamp = await sourceStamp(path);
    const key = stampKey(stamp);
    const known = this.entries.get(key);
    // A cancelled conversion (a shutdown) starts over when the clip is shown again.
    if (known && known.playback !== 'cancelled') {
      known.clip = clip;
      return known;
    }
    let judging = this.pending.get(key);
    if (!judging) {
      judging = this.judge(clip, stamp, tools).finally(() => this.pending.delete(key));
      this.pending.set(key, judging);
    }
    const entry = await judging;
    this.entries.set(key, entry);
    return entry;
  }

  private async judge(clip: ClipRef, stamp: SourceStamp, tools: MediaTools): Promise<Entry> {
    const base: Entry = { playback: 'native', fraction: 1, reason: null, error: null, converted: null, probe: null, controller: null, clip };
    const ctx = { cacheDir: this.deps.cacheDir, tools, runner: this.deps.runner };
    try {
      base.probe = await probeStamped(stamp, ctx);
    } catch (err) {
      return { ...base, playback: 'failed', error: toErrorInfo(err) };
    }
    if (base.probe.playableInChromium) return base;
    base.reason = base.probe.unplayableReason;
    const target = cacheFile(this.deps.cacheDir, 'h264', stamp, [], 'mp4');
    this.start(base, stamp.file, target, ctx);
    return base;
  }

  private start(entry: Entry, src: string, target: string, ctx: { cacheDir: string; tools: MediaTools; runner: ToolRunner }): void {
    entry.playback = 'converting';
    entry.fraction = 0;
    entry.controller = new AbortController();
    let reported = 0;
    const onProgress = (fraction: number): void => {
      entry.fraction = fraction;
      if (fraction - reported >= EVENT_STEP && fraction < 1) {
        reported = fraction;
        this.report(entry);
      }
    };
    transcodeToH264(src, target, onProgress, { ...ctx, signal: entry.controller.signal }).then(
      (done) => {
        Object.assign(entry, { playback: 'converted', fraction: 1, converted: done.path, controller: null });
        this.report(entry);
      },
      (err: unknown) => {
        const error = transcodeError(err);
        Object.assign(entry, { playback: error.code === 'MEDIA_CANCELLED' ? 'cancelled' : 'failed', error, controller: null });
        this.report(entry);
      },
    );
  }

  private report(entry: Entry): void {
    const { clip, playback, fraction, error } = entry;
    this.deps.emit({ type: 'media-progress', clip: { ...clip }, playback, fraction, ...(error ? { error } : {}) });
  }

  /** Stops every running transcode (shutdown); each ends as `cancelled` with MEDIA_CANCELLED. */
  dispose(): void {
    for (const entry of this.entries.values()) entry.controller?.abort(new DarError('MEDIA_CANCELLED', 'the conversion for playback was cancelled: the studio is shutting down'));
  }
}
