/**
 * A filmstrip for the timeline: `count` evenly spaced frames in one JPEG sprite, cached per clip;
 * an audio-only clip has none. A short clip is decoded once through fps+tile filters (one
 * process); a long one gets a seek per frame (memory and time do not grow with its length), the
 * tiles laid side by side in Node and encoded once.
 */
import type { Filmstrip, MediaProbe } from '#contract/media';
import { DarError } from '../errors';
import type { MediaContext, MediaOptions, SourceStamp } from './media-cache';
import { cacheFile, mediaContext, readCached, singleFlight, sourceStamp, writeCached } from './media-cache';
import { inputArgs, probeStamped } from './probe-media';
import { runOk } from './tool-runner';

/** Most tiles in one filmstrip. */
export const MAX_TILES = 240;
// JPEG's limit on a side is 65535 pixels.
const MAX_SPRITE_WIDTH = 65_000;
const PARALLEL = 4;
/** Clips up to this many seconds are decoded in one pass; longer ones get a seek per frame. */
export const SINGLE_PASS_SECONDS = 90;

/** Options of `filmstrip`. */
export interface FilmstripOptions extends MediaOptions {
  /** Longest clip decoded in one pass, seconds [SINGLE_PASS_SECONDS]. */
  singlePassSeconds?: number;
}

interface Layout {
  count: number;
  tileWidth: number;
  tileHeight: number;
  times: Float64Array;
}

function layout(probe: MediaProbe, count: number, height: number, file: string): Layout {
  const video = probe.video;
  if (!video || video.width <= 0 || video.height <= 0) throw new DarError('MEDIA_UNSUPPORTED', `${file}: the video stream has no frame size`);
  const tileWidth = Math.max(2, 2 * Math.round((video.width * height) / video.height / 2));
  if (tileWidth * count > MAX_SPRITE_WIDTH) {
    throw new DarError('ARG_INVALID', `filmstrip: ${count} tiles of ${tileWidth}px make a ${tileWidth * count}px sprite, over ${MAX_SPRITE_WIDTH}px; ask for fewer or lower tiles`);
  }
  // Tile centres, kept a couple of frames before the end so every seek lands on a frame.
  const last = Math.max(0, probe.duration - (video.fps > 0 ? 2 / video.fps : 0.1));
  const times = Float64Array.from({ length: count }, (_, i) => Math.min(last, ((i + 0.5) * probe.duration) / count));
  return { count, tileWidth, tileHeight: height, times };
}

async function grabFrame(ctx: MediaContext, source: SourceStamp, at: number, l: Layout): Promise<Buffer | null> {
  const args = ['-hide_banner', '-v', 'error', '-nostdin', '-ss', at.toFixed(3), ...inputArgs(source.file), '-map', '0:v:0', '-frames:v', '1'];
  args.push('-vf', `scale=${l.tileWidth}:${l.tileHeight}:flags=bicubic,format=rgb24`, '-f', 'rawvideo', 'pipe:1');
  const { stdout } = await runOk(ctx.runner, ctx.tools.ffmpeg, args, 'ffmpeg (filmstrip frame)', source.file);
  return stdout.length >= l.tileWidth * l.tileHeight * 3 ? stdout : null;
}

/** Grabs every tile (a seek past the last frame retries at the start; still nothing leaves the tile black). */
async function composeSprite(ctx: MediaContext, source: SourceStamp, l: Layout): Promise<Buffer> {
  const rowBytes = l.tileWidth * 3;
  const sprite = Buffer.alloc(rowBytes * l.count * l.tileHeight);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < l.count; i = next++) {
      const frame = (await grabFrame(ctx, source, l.times[i], l)) ?? (l.times[i] > 0 ? await grabFrame(ctx, source, 0, l) : null);
      if (!frame) continue;
      for (let y = 0; y < l.tileHeight; y++) frame.copy(sprite, (y * l.count + i) * rowBytes, y * rowBytes, (y + 1) * rowBytes);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, l.count) }, worker));
  return sprite;
}

/**
 * One decode through fps+tile, straight to JPEG. The fps filter (rounding to nearest) fills
 * output slot i with the last frame before (i + 0.5) / rate: the centre of tile i's span.
 */
async function singlePass(ctx: MediaContext, source: SourceStamp, l: Layout, duration: number): Promise<Buffer> {
  const filters = `fps=fps=${l.count}/${duration},scale=${l.tileWidth}:${l.tileHeight}:flags=bicubic,tile=${l.count}x1`;
  const args = ['-hide_banner', '-v', 'error', '-nostdin', ...inputArgs(source.file), '-map', '0:v:0'];
  args.push('-vf', filters, '-frames:v', '1', '-q:v', '4', '-c:v', 'mjpeg', '-f', 'image2pipe', 'pipe:1');
  const { stdout } = await runOk(ctx.runner, ctx.tools.ffmpeg, args, 'ffmpeg (filmstrip)', source.file);
  return stdout;
}

async function encodeJpeg(ctx: MediaContext, source: SourceStamp, l: Layout, rgb: Buffer): Promise<Buffer> {
  const args = ['-hide_banner', '-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${l.tileWidth * l.count}x${l.tileHeight}`, '-i', 'pipe:0'];
  args.push('-frames:v', '1', '-q:v', '4', '-c:v', 'mjpeg', '-f', 'image2pipe', 'pipe:1');
  const { stdout } = await runOk(ctx.runner, ctx.tools.ffmpeg, args, 'ffmpeg (filmstrip sprite)', source.file, { stdin: rgb });
  return stdout;
}

function checkArgs(count: number, height: number): void {
  if (!Number.isInteger(count) || count < 1 || count > MAX_TILES) throw new DarError('ARG_INVALID', `filmstrip count: expected an integer in 1..${MAX_TILES}, got ${count}`);
  if (!Number.isInteger(height) || height < 8 || height > 1080 || height % 2 !== 0) {
    throw new DarError('ARG_INVALID', `filmstrip height: expected an even integer in 8..1080, got ${height}`);
  }
}

interface StripMeta {
  count: number;
  tileWidth: number;
  tileHeight: number;
  times: number[];
}

async function fromCache(metaFile: string, imageFile: string): Promise<Filmstrip | null> {
  const [meta, image] = await Promise.all([readCached(metaFile), readCached(imageFile)]);
  if (!meta || !image) return null;
  try {
    const m = JSON.parse(meta.toString('utf8')) as StripMeta;
    return { image: new Uint8Array(image), imagePath: imageFile, count: m.count, tileWidth: m.tileWidth, tileHeight: m.tileHeight, times: Float64Array.from(m.times) };
  } catch {
    return null;
  }
}

/** A JPEG sprite of `count` evenly spaced frames `height` pixels high, and their times; null without video. */
export async function filmstrip(file: string, count: number, height: number, options: FilmstripOptions): Promise<Filmstrip | null> {
  checkArgs(count, height);
  const ctx = await mediaContext(options);
  const source = await sourceStamp(file);
  const probe = await probeStamped(source, ctx);
  if (!probe.video) return null;
  const imageFile = cacheFile(ctx.cacheDir, 'filmstrip', source, [count, height], 'jpg');
  const metaFile = imageFile.replace(/\.jpg$/, '.json');
  const hit = await fromCache(metaFile, imageFile);
  if (hit) return hit;
  return singleFlight(imageFile, async () => {
    const l = layout(probe, count, height, source.file);
    const short = probe.duration > 0 && probe.duration <= (options.singlePassSeconds ?? SINGLE_PASS_SECONDS);
    const jpeg = short ? await singlePass(ctx, source, l, probe.duration) : await encodeJpeg(ctx, source, l, await composeSprite(ctx, source, l));
    // The image first: the meta file's presence is what marks the entry complete.
    await writeCached(imageFile, jpeg);
    const meta: StripMeta = { count, tileWidth: l.tileWidth, tileHeight: l.tileHeight, times: Array.from(l.times) };
    await writeCached(metaFile, Buffer.from(JSON.stringify(meta)));
    return { image: new Uint8Array(jpeg), imagePath: imageFile, count, tileWidth: l.tileWidth, tileHeight: l.tileHeight, times: l.times };
  });
}
