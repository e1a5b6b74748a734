/**
 * Probes a media file: duration, container, first video and audio stream, and whether Chromium
 * plays it. Uses ffprobe when there is one, else parses `ffmpeg -i`; cached per clip.
 */
import type { MediaProbe } from '#contract/media';
import type { MediaContext, MediaOptions, SourceStamp } from './media-cache';
import { cacheFile, mediaContext, readCached, singleFlight, sourceStamp, writeCached } from './media-cache';
import { withPlayability } from './playable';
import { parseFfmpegInfo, parseFfprobeJson } from './probe-parse';
import { runOk } from './tool-runner';

/**
 * The input arguments for a file: absolute `file:` URL (a name can never be read as an option or
 * another protocol) and only local protocols, so a crafted playlist cannot reach the network.
 */
export function inputArgs(file: string): string[] {
  return ['-protocol_whitelist', 'file,pipe', '-i', `file:${file}`];
}

async function runProbe(source: SourceStamp, ctx: MediaContext): Promise<MediaProbe> {
  const { ffprobe, ffmpeg } = ctx.tools;
  if (ffprobe) {
    const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', ...inputArgs(source.file)];
    const result = await runOk(ctx.runner, ffprobe, args, 'ffprobe', source.file);
    return withPlayability(parseFfprobeJson(result.stdout.toString('utf8'), source.file));
  }
  // Without an output ffmpeg exits 1 after printing the input's description; that is expected.
  const result = await ctx.runner(ffmpeg, ['-hide_banner', ...inputArgs(source.file)]);
  return withPlayability(parseFfmpegInfo(result.stderr, source.file));
}

/** Probes with an already-filled context and stamped source (used by the other media functions). */
export async function probeStamped(source: SourceStamp, ctx: MediaContext): Promise<MediaProbe> {
  const file = cacheFile(ctx.cacheDir, 'probe', source, [ctx.tools.ffprobe ? 'ffprobe' : 'ffmpeg'], 'json');
  const cached = await readCached(file);
  if (cached) {
    try {
      return JSON.parse(cached.toString('utf8')) as MediaProbe;
    } catch {
      // A damaged cache entry is just a miss.
    }
  }
  return singleFlight(file, async () => {
    const probe = await runProbe(source, ctx);
    await writeCached(file, Buffer.from(JSON.stringify(probe)));
    return probe;
  });
}

/** What a media file holds and whether Chromium plays it (FILE_NOT_FOUND, MEDIA_UNSUPPORTED, MEDIA_FAILED). */
export async function probeMedia(file: string, options: MediaOptions): Promise<MediaProbe> {
  const ctx = await mediaContext(options);
  return probeStamped(await sourceStamp(file), ctx);
}
