/**
 * The worker's side of StudioMediaMethods (contract/media.ts): ffmpeg's status, waveforms and
 * filmstrips of the open dataset's clip videos (cached per clip on disk by engine/media), and the
 * playable file of each clip (PlaybackTracker). It wraps the WorkbenchService's getClip and
 * mediaFile, so a clip's videoUrl and the shells' media routes follow the transcode; the URL
 * still only selects a clip, and the worker alone names the file (the original or its transcode
 * in the media cache), so the routes keep their no-traversal guarantee.
 */
import type { ClipDetail, ClipRef } from '#contract/api';
import type { EngineEvent, MediaFile } from '#contract/worker-protocol';
import type { ClipFilmstrip, ClipMediaState, MediaStatus, MediaTools, StudioMediaMethods, Waveform } from '#contract/media';
import { DarError, toErrorInfo } from '../../engine/errors';
import { filmstrip as makeFilmstrip, MAX_TILES } from '../../engine/media/filmstrip';
import { defaultMediaCacheDir } from '../../engine/media/media-cache';
import { probeMedia } from '../../engine/media/probe-media';
import { INSTALL_HINT, resolveFfmpeg } from '../../engine/media/resolve-ffmpeg';
import { spawnRunner } from '../../engine/media/tool-runner';
import type { ToolRunner } from '../../engine/media/tool-runner';
import { MAX_BUCKETS, waveform as makeWaveform } from '../../engine/media/waveform';
import { PlaybackTracker } from './media-playback';
import { object } from '../params';

/** Environment variable naming the media cache folder [the platform's user cache]. */
export const MEDIA_CACHE_ENV = 'DAR_MEDIA_CACHE';
/** Waveform buckets per second when the page does not say (finer than the 8 ms peak blocks is pointless). */
const BUCKETS_PER_SECOND = 100;
/** Filmstrip tiles per second when the page does not say, and the default tile height. */
const TILES_PER_SECOND = 6;
const DEFAULT_TILE_HEIGHT = 96;
const MAX_SPRITE_WIDTH = 65_000;

/** What MediaService needs: the studio's clip lookups, events, and (for tests) the tools. */
export interface MediaServiceDeps {
  /** The clip's original video file (validates the ref: ARG_INVALID for a bad one). */
  mediaFile(params: unknown): Promise<MediaFile | null>;
  emit(event: EngineEvent): void;
  /** The shell's video URL template (EngineWorkerData.mediaUrl). */
  mediaUrl: string;
  /** Media cache folder [DAR_MEDIA_CACHE, else the platform's user cache]. */
  cacheDir?: string;
  /** Finds ffmpeg [resolveFfmpeg: FFMPEG_PATH -> ffmpeg-static -> PATH]. */
  resolveTools?: () => Promise<MediaTools>;
  runner?: ToolRunner;
}

function optionalInt(o: Record<string, unknown>, key: string, min: number, max: number, even = false): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max || (even && v % 2 !== 0)) {
    throw new DarError('ARG_INVALID', `${key}: expected ${even ? 'an even' : 'an'} integer in ${min}..${max}, got ${JSON.stringify(v)}`);
  }
  return v;
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/** The studio's media, one per worker; every method may throw a DarError. */
export class MediaService {
  readonly cacheDir: string;
  private readonly runner: ToolRunner;
  private tools: Promise<MediaTools> | null = null;
  private readonly playback: PlaybackTracker;

  constructor(private readonly deps: MediaServiceDeps) {
    this.cacheDir = deps.cacheDir ?? (process.env[MEDIA_CACHE_ENV]?.trim() || defaultMediaCacheDir());
    this.runner = deps.runner ?? spawnRunner;
    this.playback = new PlaybackTracker({ cacheDir: this.cacheDir, runner: this.runner, emit: deps.emit });
  }

  /** The tools, resolved once per worker (the hint says to restart after installing). */
  private resolved(): Promise<MediaTools> {
    this.tools ??= (this.deps.resolveTools ?? (() => resolveFfmpeg()))();
    return this.tools;
  }

  private async toolsOrNull(): Promise<MediaTools | null> {
    return this.resolved().catch(() => null);
  }

  /** Whether ffmpeg was found, where, or why not. */
  async mediaStatus(): Promise<MediaStatus> {
    try {
      const tools = await this.resolved();
      return { available: true, tools, error: null, hint: INSTALL_HINT };
    } catch (err) {
      return { available: false, tools: null, error: toErrorInfo(err), hint: INSTALL_HINT };
    }
  }

  private ref(params: unknown): ClipRef {
    const o = object(params);
    return { split: o.split as ClipRef['split'], index: o.index as number };
  }

  private url(ref: ClipRef): string {
    return this.deps.mediaUrl.replace('{split}', ref.split).replace('{index}', String(ref.index));
  }

  /** The clip's original file and the tools, or null when it has no video file. */
  private async source(params: unknown): Promise<{ file: MediaFile; tools: MediaTools; ref: ClipRef } | null> {
    const file = await this.deps.mediaFile(params);
    if (!file) return null;
    return { file, tools: await this.resolved(), ref: this.ref(params) };
  }

  /** Audio peaks of the clip's video; null without a video file or without audio. */
  async getWaveform(params: unknown): Promise<Waveform | null> {
    const buckets = optionalInt(object(params), 'buckets', 1, MAX_BUCKETS);
    const src = await this.source(params);
    if (!src) return null;
    const options = { cacheDir: this.cacheDir, tools: src.tools, runner: this.runner };
    const n = buckets ?? clamp(Math.ceil((await probeMedia(src.file.path, options)).duration * BUCKETS_PER_SECOND), 64, MAX_BUCKETS);
    return makeWaveform(src.file.path, n, options);
  }

  /** Thumbnails of the clip's video; null without a video file or without a video stream. */
  async getFilmstrip(params: unknown): Promise<ClipFilmstrip | null> {
    const o = object(params);
    const asked = optionalInt(o, 'count', 1, MAX_TILES);
    const height = optionalInt(o, 'height', 8, 1080, true) ?? DEFAULT_TILE_HEIGHT;
    const src = await this.source(params);
    if (!src) return null;
    const options = { cacheDir: this.cacheDir, tools: src.tools, runner: this.runner };
    const probe = await probeMedia(src.file.path, options);
    if (!probe.video) return null;
    const tileWidth = probe.video.height > 0 ? Math.max(2, 2 * Math.round((probe.video.width * height) / probe.video.height / 2)) : height;
    const fits = Math.max(1, Math.floor(MAX_SPRITE_WIDTH / tileWidth));
    const count = asked ?? clamp(Math.round(probe.duration * TILES_PER_SECOND), 4, Math.min(MAX_TILES, fits));
    const strip = await makeFilmstrip(src.file.path, count, height, options);
    if (!strip) return null;
    // The sprite's path stays in the worker: a page only ever gets bytes.
    return { image: strip.image, count: strip.count, tileWidth: strip.tileWidth, tileHeight: strip.tileHeight, times: strip.times, duration: probe.duration };
  }

  /** The clip's playback state; starts the transcode its video needs (once). */
  async clipMedia(params: unknown): Promise<ClipMediaState> {
    const file = await this.deps.mediaFile(params);
    const ref = this.ref(params);
    if (!file) return { playback: 'none', fraction: 1, reason: null, error: null, videoUrl: null, hasAudio: null, hasVideo: null };
    return this.playback.state(ref, file, this.url(ref), await this.toolsOrNull());
  }

  /** getClip's answer with the videoUrl the player should load now (null while converting). */
  async withPlayback(detail: ClipDetail): Promise<ClipDetail> {
    if (!detail.videoUrl) return detail;
    const state = await this.clipMedia({ split: detail.split, index: detail.index });
    return state.videoUrl === detail.videoUrl ? detail : { ...detail, videoUrl: state.videoUrl };
  }

  /** The file a media route streams for a clip: its transcode once complete, else the original. */
  async mediaFile(params: unknown): Promise<MediaFile | null> {
    const file = await this.deps.mediaFile(params);
    return file && this.playback.served(file);
  }

  /** Stops running transcodes (worker shutdown); they end as MEDIA_CANCELLED. */
  dispose(): void {
    this.playback.dispose();
  }
}

/** A handler per method; params arrive unchecked from a page. */
export type MediaHandlers = { [M in keyof StudioMediaMethods]: (params: never) => Promise<StudioMediaMethods[M][1]> };

/** The routing entries of every StudioMediaMethod. */
export function mediaHandlers(media: MediaService): MediaHandlers {
  return {
    mediaStatus: () => media.mediaStatus(),
    getWaveform: (p) => media.getWaveform(p),
    getFilmstrip: (p) => media.getFilmstrip(p),
    clipMedia: (p) => media.clipMedia(p),
  };
}
