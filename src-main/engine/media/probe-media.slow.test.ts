import { copyFileSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeMedia } from './probe-media';
import { resolveFfmpeg } from './resolve-ffmpeg';
import { MediaClips, countingRunner } from '../../../testing/engine/media/media-clips';

const clips = new MediaClips();
const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'dar-probe-cache-'));
afterAll(() => {
  clips.dispose();
  rmSync(cacheDir, { recursive: true, force: true });
});
const tools = await resolveFfmpeg();
const noProbe = { ...tools, ffprobe: null };
const hevcNote = clips.canMake('hevc') ? '' : ' (skipped: this ffmpeg has no libx265 encoder)';

describe('probeMedia', () => {
  it('reads duration, container and both streams of an H.264/AAC mp4', async () => {
    const probe = await probeMedia(clips.path('h264'), { cacheDir, tools });
    expect(probe.duration).toBeCloseTo(2, 1);
    expect(probe).toMatchObject({
      container: 'mp4',
      video: { codec: 'h264', width: 160, height: 120, fps: 25, pixelFormat: 'yuv420p' },
      audio: { codec: 'aac', sampleRate: 44100, channels: 1 },
      playableInChromium: true,
      unplayableReason: null,
    });
  });

  it.each([
    ['mpeg4Avi', 'avi', 'mpeg4', 'AVI container'],
    ['theora', 'ogg', 'theora', 'Theora video'],
    ['mkv', 'mkv', 'h264', 'MKV container'],
  ] as const)('classifies %s (%s, %s video) as needing a transcode', async (name, container, codec, reason) => {
    const probe = await probeMedia(clips.path(name), { cacheDir, tools });
    expect(probe).toMatchObject({ container, video: { codec }, playableInChromium: false, unplayableReason: reason });
  });

  it.skipIf(!clips.canMake('hevc'))(`classifies HEVC in mp4 as needing a transcode${hevcNote}`, async () => {
    const probe = await probeMedia(clips.path('hevc'), { cacheDir, tools });
    expect(probe).toMatchObject({ container: 'mp4', video: { codec: 'hevc' }, playableInChromium: false, unplayableReason: 'HEVC (H.265) video' });
  });

  it('plays VP9/Opus WebM as is', async () => {
    const probe = await probeMedia(clips.path('webm'), { cacheDir, tools });
    expect(probe).toMatchObject({ container: 'webm', video: { codec: 'vp9' }, audio: { codec: 'opus' }, playableInChromium: true });
  });

  it('opens clips with only audio or only video', async () => {
    const audio = await probeMedia(clips.path('audioOnly'), { cacheDir, tools });
    expect(audio).toMatchObject({ container: 'm4a', video: null, audio: { codec: 'aac' }, playableInChromium: true });
    const video = await probeMedia(clips.path('videoOnly'), { cacheDir, tools });
    expect(video).toMatchObject({ container: 'mp4', audio: null, video: { codec: 'h264' }, playableInChromium: true });
  });

  it('parses ffmpeg -i to the same facts when there is no ffprobe', async () => {
    for (const name of ['h264', 'mpeg4Avi', 'audioOnly', 'videoOnly'] as const) {
      const withProbe = await probeMedia(clips.path(name), { cacheDir, tools });
      const without = await probeMedia(clips.path(name), { cacheDir, tools: noProbe });
      expect({ ...without, duration: 0 }).toEqual({ ...withProbe, duration: 0 });
      expect(without.duration).toBeCloseTo(withProbe.duration, 1);
    }
  });

  it('answers a second probe from the cache without starting a process, until the file changes', async () => {
    const file = path.join(clips.dir, 'copy.mp4');
    copyFileSync(clips.path('videoOnly'), file);
    const { runner, calls } = countingRunner();
    const first = await probeMedia(file, { cacheDir, tools, runner });
    expect(calls).toHaveLength(1);
    expect(await probeMedia(file, { cacheDir, tools, runner })).toEqual(first);
    expect(calls).toHaveLength(1);
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    await probeMedia(file, { cacheDir, tools, runner });
    expect(calls).toHaveLength(2);
  });

  it('answers MEDIA_UNSUPPORTED for a file that is not media, with or without ffprobe', async () => {
    const file = path.join(clips.dir, 'notes.mp4');
    writeFileSync(file, 'this is not a video\n'.repeat(50));
    for (const t of [tools, noProbe]) {
      await expect(probeMedia(file, { cacheDir, tools: t })).rejects.toMatchObject({ code: 'MEDIA_UNSUPPORTED', message: expect.stringContaining('notes.mp4') });
    }
  });

  it('answers FILE_NOT_FOUND for a missing file', async () => {
    await expect(probeMedia(path.join(clips.dir, 'gone.mp4'), { cacheDir, tools })).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});
