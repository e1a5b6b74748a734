/**
 * Decodes what the extractors read, with ffmpeg: the first audio stream as 22,050 Hz mono
 * float32, and the first video stream as rgb24 frames at a fixed rate, scaled to at most
 * MAX_FRAME_WIDTH. Frames come in chunks of CHUNK_SECONDS (one ffmpeg each, seeking to the
 * chunk) so memory stays bounded however long the video is and the caller can stop between them.
 */
import type { MediaProbe } from '#contract/media';
import { DarError } from '../errors';
import type { MediaContext } from '../media/media-cache';
import { inputArgs } from '../media/probe-media';
import { runOk } from '../media/tool-runner';

/** The rate audio is decoded at: librosa's default, MMSA-FET's setting. */
export const AUDIO_RATE = 22_050;
/** Widest frame handed to the face tracker (a face needs pixels; a 4K frame only costs time). */
export const MAX_FRAME_WIDTH = 640;
/** Seconds of video decoded per ffmpeg run. */
export const CHUNK_SECONDS = 10;

/** The mono 22,050 Hz samples of the first audio stream. */
export async function decodeAudio(file: string, ctx: MediaContext, signal?: AbortSignal): Promise<Float32Array> {
  const args = ['-hide_banner', '-v', 'error', '-nostdin', ...inputArgs(file), '-map', '0:a:0', '-vn', '-ac', '1', '-ar', String(AUDIO_RATE), '-f', 'f32le', 'pipe:1'];
  const { stdout } = await runOk(ctx.runner, ctx.tools.ffmpeg, args, 'ffmpeg (audio)', file, { signal });
  const usable = stdout.length - (stdout.length % 4);
  // A copy: the Buffer may sit unaligned in a shared pool.
  return new Float32Array(stdout.buffer.slice(stdout.byteOffset, stdout.byteOffset + usable));
}

/** The size frames are decoded at: the source's aspect, at most MAX_FRAME_WIDTH wide, even sides. */
export function frameSize(probe: MediaProbe, file: string): { width: number; height: number } {
  const v = probe.video;
  if (!v || v.width <= 0 || v.height <= 0) throw new DarError('EXTRACT_NO_VIDEO', `${file}: no video stream with a frame size`);
  const width = 2 * Math.round(Math.min(v.width, MAX_FRAME_WIDTH) / 2);
  const height = Math.max(2, 2 * Math.round((v.height * width) / v.width / 2));
  return { width, height };
}

/** One decoded frame and its time. */
export interface DecodedFrame {
  rgb: Uint8Array;
  time: number;
}

/** Options of {@link decodeFrames}. */
export interface FrameOptions {
  fps: number;
  width: number;
  height: number;
  duration: number;
  signal?: AbortSignal;
}

/** Calls `onFrame` for every frame at `fps` in order, a chunk decoded at a time. */
export async function decodeFrames(file: string, ctx: MediaContext, o: FrameOptions, onFrame: (f: DecodedFrame) => Promise<void>): Promise<number> {
  const frameBytes = o.width * o.height * 3;
  let count = 0;
  // At least one chunk, even when the container does not tell its duration.
  for (let start = 0; start === 0 || start < o.duration; start += CHUNK_SECONDS) {
    if (o.signal?.aborted) throw o.signal.reason;
    const args = ['-hide_banner', '-v', 'error', '-nostdin', '-ss', start.toFixed(3), ...inputArgs(file), '-t', String(CHUNK_SECONDS)];
    args.push('-map', '0:v:0', '-an', '-sn', '-vf', `fps=fps=${o.fps},scale=${o.width}:${o.height}:flags=bilinear,format=rgb24`, '-f', 'rawvideo', 'pipe:1');
    const { stdout } = await runOk(ctx.runner, ctx.tools.ffmpeg, args, 'ffmpeg (frames)', file, { signal: o.signal });
    const n = Math.floor(stdout.length / frameBytes);
    for (let k = 0; k < n; k++) {
      const rgb = new Uint8Array(stdout.buffer, stdout.byteOffset + k * frameBytes, frameBytes);
      await onFrame({ rgb, time: start + k / o.fps });
      count++;
    }
    if (o.duration <= 0) break;
  }
  return count;
}
