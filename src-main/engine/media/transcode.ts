/**
 * Transcodes a clip Chromium cannot play to H.264/AAC MP4 (faststart, so it streams), once per
 * source: the result is cached, concurrent requests share one ffmpeg run, progress comes from
 * `-progress pipe:1` as a fraction of the duration, and the output appears only complete (temp
 * file, then rename). Cancelling (AbortSignal) kills ffmpeg and leaves no file behind.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { MediaProbe } from '#contract/media';
import { DarError } from '../errors';
import type { MediaContext, MediaOptions } from './media-cache';
import { cacheFile, mediaContext, sourceStamp } from './media-cache';
import { inputArgs, probeStamped } from './probe-media';
import { runOk } from './tool-runner';

/** Options of a transcode: the media options plus a cancel signal. */
export interface TranscodeOptions extends MediaOptions {
  /** Aborting rejects with the signal's reason; ffmpeg is killed once no caller waits any more. */
  signal?: AbortSignal;
}

/** Where a playable version of a clip is, and whether it was already there. */
export interface TranscodeResult {
  path: string;
  cached: boolean;
}

interface Job {
  done: Promise<void>;
  listeners: Set<(fraction: number) => void>;
  controller: AbortController;
  waiting: number;
}

const jobs = new Map<string, Job>();

/** ffmpeg's arguments for a playable MP4 of the streams the probe found. */
export function transcodeArgs(src: string, tmp: string, probe: MediaProbe): string[] {
  const args = ['-hide_banner', '-v', 'error', '-nostdin', '-y', ...inputArgs(src)];
  // H.264 4:2:0 needs even dimensions.
  if (probe.video) args.push('-map', '0:v:0', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p', '-vf', 'scale=trunc(iw/2)*2:trunc(ih/2)*2');
  if (probe.audio) args.push('-map', '0:a:0', '-c:a', 'aac', '-b:a', '160k');
  args.push('-max_muxing_queue_size', '1024', '-movflags', '+faststart', '-progress', 'pipe:1', '-nostats', '-f', 'mp4', tmp);
  return args;
}

/** Reads `-progress` key=value lines and reports the fraction of `duration` done, never going back. */
export function progressReader(duration: number, report: (fraction: number) => void): (chunk: Buffer) => void {
  let pending = '';
  let last = 0;
  return (chunk) => {
    const lines = (pending + chunk.toString('utf8')).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const [key, value] = line.trim().split('=');
      let fraction = last;
      if ((key === 'out_time_us' || key === 'out_time_ms') && duration > 0) fraction = Math.min(1, Number(value) / 1e6 / duration);
      if (key === 'progress' && value === 'end') fraction = 1;
      if (Number.isFinite(fraction) && fraction > last) report((last = fraction));
    }
  };
}

async function runJob(ctx: MediaContext, src: string, dst: string, job: Job): Promise<void> {
  const probe = await probeStamped(await sourceStamp(src), ctx);
  if (!probe.video && !probe.audio) throw new DarError('MEDIA_UNSUPPORTED', `${src}: no audio or video stream to transcode`);
  await mkdir(path.dirname(dst), { recursive: true });
  const tmp = path.join(path.dirname(dst), `.${path.basename(dst)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const emit = (f: number): void => job.listeners.forEach((l) => l(f));
  try {
    const onStdout = progressReader(probe.duration, emit);
    await runOk(ctx.runner, ctx.tools.ffmpeg, transcodeArgs(src, tmp, probe), 'ffmpeg (transcode)', src, { onStdout, signal: job.controller.signal });
    const handle = await open(tmp, 'r+');
    await handle.sync().finally(() => handle.close());
    await rename(tmp, dst);
  } finally {
    await rm(tmp, { force: true });
  }
  emit(1);
}

/** Waits for `work`, or rejects with the signal's reason as soon as it aborts. */
function waitOrAbort(work: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return work;
  return new Promise((resolve, reject) => {
    const fail = (): void => reject(signal.reason ?? new DOMException('The operation was aborted', 'AbortError'));
    if (signal.aborted) return fail();
    signal.addEventListener('abort', fail, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', fail));
  });
}

function startJob(ctx: MediaContext, src: string, target: string): Job {
  const job: Job = { done: Promise.resolve(), listeners: new Set(), controller: new AbortController(), waiting: 0 };
  job.done = runJob(ctx, src, target, job).finally(() => jobs.delete(target));
  // Callers may all have given up; the job's own failure must not be an unhandled rejection.
  job.done.catch(() => undefined);
  jobs.set(target, job);
  return job;
}

/** Transcodes `src` to an H.264/AAC MP4 at `dst` (skipped when `dst` exists); resolves with where it is. */
export async function transcodeToH264(src: string, dst: string, onProgress: (fraction: number) => void, options: TranscodeOptions): Promise<TranscodeResult> {
  const target = path.resolve(dst);
  if ((await stat(target).catch(() => null))?.isFile()) {
    onProgress(1);
    return { path: target, cached: true };
  }
  const ctx = await mediaContext(options);
  // No await between the lookup and the start: concurrent callers must find one job.
  const job = jobs.get(target) ?? startJob(ctx, path.resolve(src), target);
  job.listeners.add(onProgress);
  job.waiting++;
  try {
    await waitOrAbort(job.done, options.signal);
  } catch (err) {
    if (options.signal?.aborted && job.waiting === 1) {
      // The last caller to give up stops ffmpeg, and returns once the temp file is gone.
      job.controller.abort(options.signal.reason);
      await job.done.catch(() => undefined);
    }
    throw err;
  } finally {
    job.listeners.delete(onProgress);
    job.waiting--;
  }
  return { path: target, cached: false };
}

/** A playable version of a clip: the file itself when Chromium plays it, else its cached H.264 transcode. */
export async function ensurePlayable(file: string, onProgress: (fraction: number) => void, options: TranscodeOptions): Promise<TranscodeResult & { transcoded: boolean }> {
  const ctx = await mediaContext(options);
  const source = await sourceStamp(file);
  const probe = await probeStamped(source, ctx);
  if (probe.playableInChromium) {
    onProgress(1);
    return { path: source.file, cached: true, transcoded: false };
  }
  const dst = cacheFile(ctx.cacheDir, 'h264', source, [], 'mp4');
  return { ...(await transcodeToH264(source.file, dst, onProgress, { ...options, ...ctx })), transcoded: true };
}
