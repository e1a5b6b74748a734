/**
 * Media facts the engine derives with ffmpeg (probe, waveform, filmstrip, transcode) and that
 * cross to the studio. Type-only; big numbers travel as typed arrays.
 */

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
