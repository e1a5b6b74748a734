/**
 * Media facts the engine derives with ffmpeg (probe, waveform, filmstrip, transcode) and that
 * cross to the studio. Type-only; big numbers travel as typed arrays.
 */
import type { ClipRef } from './api';
import type { ErrorInfo } from './errors';

/** Where the ffmpeg binary came from: FFMPEG_PATH, the ffmpeg-static package, or the PATH. */
export type MediaToolSource = 'env' | 'ffmpeg-static' | 'path';

/** The media tools in use; `ffprobe` is null when only ffmpeg exists (probing then parses `ffmpeg -i`). */
export interface MediaTools {
  ffmpeg: string;
  ffprobe: string | null;
  source: MediaToolSource;
}

/** The first real video stream of a file (cover art is not one). */
export interface VideoStreamInfo {
  /** ffmpeg's codec name: h264, hevc, vp9, av1, mpeg4, theora... */
  codec: string;
  width: number;
  height: number;
  /** Frames per second (average rate), 0 when the file does not say. */
  fps: number;
  /** ffmpeg's pixel format, e.g. yuv420p ('' when unknown). */
  pixelFormat: string;
}

/** The first audio stream of a file. */
export interface AudioStreamInfo {
  /** ffmpeg's codec name: aac, opus, vorbis, mp3, pcm_s16le... */
  codec: string;
  sampleRate: number;
  channels: number;
}

/** What a media file holds and whether the studio's Chromium can play it as is. */
export interface MediaProbe {
  /** Seconds; 0 when neither the container nor a stream says. */
  duration: number;
  /** Short container name: mp4, mov, m4v, m4a, webm, mkv, avi, ogg, mp3, wav... */
  container: string;
  /** ffmpeg's demuxer name as reported, e.g. "mov,mp4,m4a,3gp,3g2,mj2". */
  formatName: string;
  video: VideoStreamInfo | null;
  audio: AudioStreamInfo | null;
  /** True when Chromium plays the file without transcoding. */
  playableInChromium: boolean;
  /** Why it is not playable (e.g. "HEVC video"), null when it is. */
  unplayableReason: string | null;
}

/** Audio peaks for the timeline: per bucket the lowest and highest sample (mono mix, -1..1). */
export interface Waveform {
  buckets: number;
  min: Float32Array;
  max: Float32Array;
  /** Seconds of audio the peaks span. */
  duration: number;
  /** The rate the audio was decoded at for the peaks. */
  sampleRate: number;
}

/** One sprite of evenly spaced thumbnails, left to right, with the time of each. */
export interface Filmstrip {
  /** The sprite as JPEG bytes. */
  image: Uint8Array;
  /** The sprite's file in the media cache (what a media route may serve). */
  imagePath: string;
  count: number;
  tileWidth: number;
  tileHeight: number;
  /** Seconds into the clip of each tile. */
  times: Float64Array;
}

/** Progress of a background transcode: fraction of the duration written, 0..1. */
export interface TranscodeProgress {
  fraction: number;
}

/**
 * Whether the studio's media tools work: found (where, from which source) or why not, with what
 * the user should do. Everything that is not media (features, masks, predictions) works either way.
 */
export interface MediaStatus {
  available: boolean;
  /** The tools in use, or null when none were found. */
  tools: MediaTools | null;
  /** MEDIA_TOOL_MISSING with the install hint when unavailable, else null. */
  error: ErrorInfo | null;
  /** How to fix a missing ffmpeg, for the UI (shown as is). */
  hint: string;
}

/**
 * How a clip's video reaches the player: `native` (plays as is), `converting` (the H.264 transcode
 * runs; ClipDetail.videoUrl is null until it is done), `converted` (videoUrl serves the transcode),
 * `failed` / `cancelled` (videoUrl is the original file, which may not play), `unchecked` (no
 * ffmpeg: the original is served untested), `none` (the clip has no video).
 */
export type ClipPlayback = 'native' | 'converting' | 'converted' | 'failed' | 'cancelled' | 'unchecked' | 'none';

/** A clip's media as the studio knows it. */
export interface ClipMediaState {
  playback: ClipPlayback;
  /** Transcode progress 0..1 (1 when nothing needs doing). */
  fraction: number;
  /** Why the original cannot play in Chromium (e.g. "MPEG-4 Part 2 video"), null when it can or is unknown. */
  reason: string | null;
  /** The failure of a transcode (MEDIA_FAILED, MEDIA_CANCELLED ...), else null. */
  error: ErrorInfo | null;
  /** The URL the player should load now (what getClip returns as videoUrl). */
  videoUrl: string | null;
  hasAudio: boolean | null;
  hasVideo: boolean | null;
}

/** A clip's filmstrip as it crosses to the page (the sprite's bytes; never its file path). */
export interface ClipFilmstrip extends Omit<Filmstrip, 'imagePath'> {
  /** Seconds of video the tiles span evenly (tile i covers [i, i + 1] * duration / count). */
  duration: number;
}

/**
 * The studio's media methods; api.ts's StudioMethods extends this table. Progress of a
 * background transcode arrives as `media-progress` engine events.
 */
export interface StudioMediaMethods {
  /** Whether ffmpeg was found (which source, which path) or why not. */
  mediaStatus: [Record<string, never>, MediaStatus];
  /** Audio peaks of a clip's video (buckets 1..65536 [the worker's choice from the duration]); null without audio or video file. MEDIA_TOOL_MISSING without ffmpeg. */
  getWaveform: [ClipRef & { buckets?: number }, Waveform | null];
  /** Thumbnails of a clip's video (count 1..240 [from the duration], height even 8..1080 [96]); null without video. MEDIA_TOOL_MISSING without ffmpeg. */
  getFilmstrip: [ClipRef & { count?: number; height?: number }, ClipFilmstrip | null];
  /** The clip's playback state (starts the transcode when it is needed and not yet started). */
  clipMedia: [ClipRef, ClipMediaState];
}
