import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClipDetail, ClipRef } from '#contract/api';
import type { EngineEvent, MediaFile } from '#contract/worker-protocol';
import type { MediaTools } from '#contract/media';
import { DarError, toErrorInfo } from '../../engine/errors';
import { probeMedia } from '../../engine/media/probe-media';
import type { ClipName } from '../../../testing/engine/media/media-clips';
import { countingRunner, MediaClips } from '../../../testing/engine/media/media-clips';
import { MediaService } from './media-service';
import { convertedUrl, transcodeError } from './media-playback';

const TOOLS: MediaTools = { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe', source: 'path' };
const clips = new MediaClips();
const dirs: string[] = [];
afterAll(() => {
  clips.dispose();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A MediaService over clips by index (test split), a fresh cache, and recorded events and spawns. */
function makeMedia(files: (ClipName | 'gone' | null)[], tools: Promise<MediaTools> = Promise.resolve(TOOLS)) {
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'dar-media-cache-'));
  dirs.push(cacheDir);
  const events: EngineEvent[] = [];
  const { runner, calls } = countingRunner();
  const mediaFile = async (params: unknown): Promise<MediaFile | null> => {
    const { index } = params as ClipRef;
    if (!Number.isInteger(index) || index < 0 || index >= files.length) throw new DarError('ARG_INVALID', `index: out of range ${index}`);
    const name = files[index];
    if (name === 'gone') return { path: path.join(os.tmpdir(), 'dar-no-such-video.mp4'), contentType: 'video/mp4' };
    return name ? { path: clips.path(name), contentType: 'video/mp4' } : null;
  };
  const media = new MediaService({ mediaFile, emit: (e) => events.push(e), mediaUrl: '/media/{split}/{index}?token=T', cacheDir, runner, resolveTools: () => tools });
  return { media, events, calls, cacheDir };
}

const ref = (index: number): ClipRef => ({ split: 'test', index });

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
}

const transcodes = (calls: string[][]): number => calls.filter((c) => c.includes('libx264')).length;

describe('MediaService', () => {
  it('reports where ffmpeg was found, or that it is missing with how to fix it', async () => {
    expect(await makeMedia([]).media.mediaStatus()).toMatchObject({ available: true, tools: TOOLS, error: null });
    const missing = Promise.reject(new DarError('MEDIA_TOOL_MISSING', 'ffmpeg was not found'));
    missing.catch(() => undefined);
    const status = await makeMedia([], missing).media.mediaStatus();
    expect(status.available).toBe(false);
    expect(status.error?.code).toBe('MEDIA_TOOL_MISSING');
    expect(status.hint).toMatch(/FFMPEG_PATH/);
  });

  it('leaves a clip Chromium plays as it is and spawns no transcode', async () => {
    const { media, calls } = makeMedia(['h264']);
    const state = await media.clipMedia(ref(0));
    expect(state).toMatchObject({ playback: 'native', videoUrl: '/media/test/0?token=T', hasAudio: true, hasVideo: true });
    expect(await media.mediaFile(ref(0))).toEqual({ path: clips.path('h264'), contentType: 'video/mp4' });
    expect(transcodes(calls)).toBe(0);
  });

  it('converts an MPEG-4 Part 2 AVI once, with progress, then serves the H.264 copy from its cache', async () => {
    const { media, events, calls, cacheDir } = makeMedia(['mpeg4Avi', 'mpeg4Avi']);
    const detail = { split: 'test', index: 0, videoUrl: '/media/test/0?token=T' } as ClipDetail;
    const [first, second, opened] = await Promise.all([media.clipMedia(ref(0)), media.clipMedia(ref(1)), media.withPlayback(detail)]);
    expect(first).toMatchObject({ playback: 'converting', videoUrl: null, reason: expect.stringMatching(/AVI|MPEG-4/) });
    expect(second.playback).toBe('converting');
    expect(opened.videoUrl).toBeNull();
    const done = await until(() => media.clipMedia(ref(0)), (s) => s.playback !== 'converting');
    expect(done).toMatchObject({ playback: 'converted', fraction: 1, videoUrl: '/media/test/0?token=T&v=h264', error: null });
    expect(transcodes(calls)).toBe(1);
    const progress = events.flatMap((e) => (e.type === 'media-progress' ? [e] : []));
    expect(progress.at(-1)).toMatchObject({ playback: 'converted', fraction: 1 });
    const fractions = progress.map((e) => e.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    const served = await media.mediaFile(ref(1));
    expect(served?.contentType).toBe('video/mp4');
    expect(path.dirname(served!.path)).toBe(cacheDir);
    const probe = await probeMedia(served!.path, { cacheDir, tools: TOOLS });
    expect(probe).toMatchObject({ playableInChromium: true, video: { codec: 'h264' } });
    expect((await media.withPlayback(detail)).videoUrl).toBe('/media/test/0?token=T&v=h264');
  });

  it('ends a conversion stopped by shutdown as MEDIA_CANCELLED and leaves no partial file', async () => {
    const { media, events, cacheDir } = makeMedia(['long']);
    expect((await media.clipMedia(ref(0))).playback).toBe('converting');
    media.dispose();
    const ended = () => events.flatMap((e) => (e.type === 'media-progress' && e.playback !== 'converting' ? [e] : []));
    await until(async () => ended().length, (n) => n > 0);
    expect(ended()).toEqual([expect.objectContaining({ playback: 'cancelled', error: expect.objectContaining({ code: 'MEDIA_CANCELLED' }) })]);
    await until(async () => readdirSync(cacheDir).filter((f) => f.endsWith('.tmp')).length, (n) => n === 0);
    expect(readdirSync(cacheDir).some((f) => f.startsWith('h264-'))).toBe(false);
  });

  it('opens clips without audio or without video: the missing product is null, the other is there', async () => {
    const { media } = makeMedia(['audioOnly', 'videoOnly', null]);
    expect(await media.getFilmstrip(ref(0))).toBeNull();
    const wave = await media.getWaveform(ref(0));
    expect(wave?.buckets).toBeGreaterThanOrEqual(64);
    expect(Math.max(...wave!.max)).toBeGreaterThan(0.1);
    expect(await media.getWaveform(ref(1))).toBeNull();
    const strip = await media.getFilmstrip({ ...ref(1), height: 48 });
    expect(strip).toMatchObject({ tileHeight: 48, duration: expect.closeTo(2, 1) });
    expect(strip!.count).toBeGreaterThanOrEqual(4);
    expect(strip!.image.length).toBeGreaterThan(100);
    expect(strip).not.toHaveProperty('imagePath');
    expect(await media.getWaveform(ref(2))).toBeNull();
    expect((await media.clipMedia(ref(2))).playback).toBe('none');
  });

  it('still opens a clip whose video file vanished: the state says why, the URL stays', async () => {
    const { media } = makeMedia(['gone']);
    expect(await media.clipMedia(ref(0))).toMatchObject({ playback: 'failed', error: { code: 'FILE_NOT_FOUND' }, videoUrl: '/media/test/0?token=T' });
    const detail = { split: 'test', index: 0, videoUrl: '/media/test/0?token=T' } as ClipDetail;
    expect(await media.withPlayback(detail)).toBe(detail);
  });

  it('keeps working without ffmpeg: the original plays untested, waveforms fail with MEDIA_TOOL_MISSING', async () => {
    const missing = Promise.reject(new DarError('MEDIA_TOOL_MISSING', 'ffmpeg was not found'));
    missing.catch(() => undefined);
    const { media, calls } = makeMedia(['mpeg4Avi'], missing);
    expect(await media.clipMedia(ref(0))).toMatchObject({ playback: 'unchecked', videoUrl: '/media/test/0?token=T' });
    await expect(media.getWaveform(ref(0)).catch(toErrorInfo)).resolves.toMatchObject({ code: 'MEDIA_TOOL_MISSING' });
    expect(calls).toEqual([]);
  });

  it('refuses bad parameters with ARG_INVALID naming the field', async () => {
    const { media } = makeMedia(['h264']);
    await expect(media.getFilmstrip({ ...ref(0), height: 31 }).catch(toErrorInfo)).resolves.toMatchObject({ code: 'ARG_INVALID', message: expect.stringMatching(/^height/) });
    await expect(media.getWaveform({ ...ref(0), buckets: 0 }).catch(toErrorInfo)).resolves.toMatchObject({ code: 'ARG_INVALID', message: expect.stringMatching(/^buckets/) });
    await expect(media.clipMedia(ref(7)).catch(toErrorInfo)).resolves.toMatchObject({ code: 'ARG_INVALID' });
  });
});

describe('playback helpers', () => {
  it('marks the converted URL whether or not the template has a query', () => {
    expect(convertedUrl('/media/test/3?token=T')).toBe('/media/test/3?token=T&v=h264');
    expect(convertedUrl('dar-media://clip/test/3')).toBe('dar-media://clip/test/3?v=h264');
  });

  it('maps an AbortError to MEDIA_CANCELLED and keeps coded errors as they are', () => {
    expect(transcodeError(new DOMException('The operation was aborted', 'AbortError')).code).toBe('MEDIA_CANCELLED');
    expect(transcodeError(new DarError('MEDIA_FAILED', 'x'))).toEqual({ code: 'MEDIA_FAILED', message: 'x' });
    expect(transcodeError(new Error('boom')).code).toBe('INTERNAL');
  });
});
