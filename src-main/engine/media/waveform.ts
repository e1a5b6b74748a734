/**
 * The audio waveform of a clip for the timeline: ffmpeg decodes the first audio stream to mono
 * 32-bit float, streamed through a PeakAccumulator (memory grows with blocks, not samples), and
 * the peaks are cached per clip. A clip without audio has no waveform (null).
 */
import type { Waveform } from '#contract/media';
import { DarError } from '../errors';
import type { MediaOptions } from './media-cache';
import { cacheFile, mediaContext, readCached, singleFlight, sourceStamp, writeCached } from './media-cache';
import { PeakAccumulator } from './peak-accumulator';
import { inputArgs, probeStamped } from './probe-media';
import { runOk } from './tool-runner';

/** Options of `waveform`. */
export interface WaveformOptions extends MediaOptions {
  /** The rate audio is decoded at for the peaks [8000]. */
  sampleRate?: number;
}

/** Most buckets a waveform may have (a very wide timeline at one bucket per pixel). */
export const MAX_BUCKETS = 1 << 16;
// 8 ms blocks at the default rate: fine enough for any zoom, 2 floats each.
const BLOCK = 64;

/** Turns byte chunks (which may split a float) into Float32Array samples. */
function floatChunks(onSamples: (samples: Float32Array) => void): (chunk: Buffer) => void {
  let rest = Buffer.alloc(0);
  return (chunk) => {
    const bytes = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    const usable = bytes.length - (bytes.length % 4);
    rest = Buffer.from(bytes.subarray(usable));
    if (usable === 0) return;
    // Copy so the floats are aligned; f32le matches every platform the studio ships on.
    onSamples(new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + usable)));
  };
}

function encode(w: Waveform): Uint8Array {
  const header = Buffer.from(JSON.stringify({ buckets: w.buckets, duration: w.duration, sampleRate: w.sampleRate }));
  const out = Buffer.alloc(4 + header.length + 8 * w.buckets);
  out.writeUInt32LE(header.length, 0);
  header.copy(out, 4);
  Buffer.from(w.min.buffer, w.min.byteOffset, w.min.byteLength).copy(out, 4 + header.length);
  Buffer.from(w.max.buffer, w.max.byteOffset, w.max.byteLength).copy(out, 4 + header.length + 4 * w.buckets);
  return out;
}

function decode(bytes: Buffer): Waveform | null {
  try {
    const len = bytes.readUInt32LE(0);
    const head = JSON.parse(bytes.subarray(4, 4 + len).toString('utf8')) as Omit<Waveform, 'min' | 'max'>;
    const body = bytes.buffer.slice(bytes.byteOffset + 4 + len, bytes.byteOffset + bytes.length);
    if (body.byteLength !== 8 * head.buckets) return null;
    return { ...head, min: new Float32Array(body, 0, head.buckets), max: new Float32Array(body, 4 * head.buckets, head.buckets) };
  } catch {
    return null;
  }
}

function checkArgs(buckets: number, sampleRate: number): void {
  if (!Number.isInteger(buckets) || buckets < 1 || buckets > MAX_BUCKETS) {
    throw new DarError('ARG_INVALID', `waveform buckets: expected an integer in 1..${MAX_BUCKETS}, got ${buckets}`);
  }
  if (!Number.isInteger(sampleRate) || sampleRate < 100 || sampleRate > 192000) {
    throw new DarError('ARG_INVALID', `waveform sampleRate: expected an integer in 100..192000, got ${sampleRate}`);
  }
}

/** Min/max peaks of the clip's audio in `buckets` equal spans; null when the clip has no audio. */
export async function waveform(file: string, buckets: number, options: WaveformOptions): Promise<Waveform | null> {
  const sampleRate = options.sampleRate ?? 8000;
  checkArgs(buckets, sampleRate);
  const ctx = await mediaContext(options);
  const source = await sourceStamp(file);
  const probe = await probeStamped(source, ctx);
  if (!probe.audio) return null;
  const cache = cacheFile(ctx.cacheDir, 'waveform', source, [buckets, sampleRate], 'bin');
  const cached = await readCached(cache);
  const hit = cached && decode(cached);
  if (hit) return hit;
  return singleFlight(cache, async () => {
    const peaks = new PeakAccumulator(BLOCK);
    const args = ['-hide_banner', '-v', 'error', '-nostdin', ...inputArgs(source.file), '-map', '0:a:0', '-ac', '1', '-ar', String(sampleRate), '-f', 'f32le', 'pipe:1'];
    await runOk(ctx.runner, ctx.tools.ffmpeg, args, 'ffmpeg (waveform)', source.file, { onStdout: floatChunks((s) => peaks.push(s)) });
    const { min, max } = peaks.finish(buckets);
    const result: Waveform = { buckets, min, max, duration: peaks.sampleCount / sampleRate, sampleRate };
    await writeCached(cache, encode(result));
    return result;
  });
}
