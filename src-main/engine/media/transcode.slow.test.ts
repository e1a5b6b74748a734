import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeMedia } from './probe-media';
import { resolveFfmpeg } from './resolve-ffmpeg';
import type { ClipName } from '../../../testing/engine/media/media-clips';
import { MediaClips, countingRunner } from '../../../testing/engine/media/media-clips';
import { ensurePlayable, progressReader, transcodeToH264 } from './transcode';

const clips = new MediaClips();
const root = mkdtempSync(path.join(os.tmpdir(), 'dar-transcode-'));
afterAll(() => {
  clips.dispose();
  rmSync(root, { recursive: true, force: true });
});
const tools = await resolveFfmpeg();
const unplayable: ClipName[] = ['mpeg4Avi', 'theora', 'mkv', 'videoOnlyAvi', 'audioOnlyMka'];
const hevcNote = clips.canMake('hevc') ? '' : ' (skipped: this ffmpeg has no libx265 encoder to make the input)';

/** Transcodes a clip and checks the output plays, keeps its streams and duration, and progress ends at 1. */
async function expectPlayableTranscode(name: ClipName): Promise<void> {
  const cacheDir = path.join(root, name);
  const source = await probeMedia(clips.path(name), { cacheDir, tools });
  expect(source.playableInChromium).toBe(false);
  const progress: number[] = [];
  const result = await ensurePlayable(clips.path(name), (f) => progress.push(f), { cacheDir, tools });
  expect(result.transcoded).toBe(true);
  const out = await probeMedia(result.path, { cacheDir, tools });
  expect(out).toMatchObject({ container: 'mp4', playableInChromium: true });
  expect(out.video?.codec ?? null).toBe(source.video ? 'h264' : null);
  expect(out.audio?.codec ?? null).toBe(source.audio ? 'aac' : null);
  expect(Math.abs(out.duration - source.duration)).toBeLessThan(0.15);
  expect(progress.at(-1)).toBe(1);
  expect(progress).toEqual([...progress].sort((a, b) => a - b));
}

describe('ensurePlayable / transcodeToH264', () => {
  it.each(unplayable)('turns %s into a playable H.264/AAC mp4 of about the same duration, reporting progress to 1', expectPlayableTranscode);

  it.skipIf(!clips.canMake('hevc'))(`turns HEVC into a playable H.264/AAC mp4${hevcNote}`, () => expectPlayableTranscode('hevc'));

  it('transcodes once per source: a second request starts no process', async () => {
    const cacheDir = path.join(root, 'once');
    const { runner, calls } = countingRunner();
    const first = await ensurePlayable(clips.path('mpeg4Avi'), () => undefined, { cacheDir, tools, runner });
    const spawned = calls.length;
    const progress: number[] = [];
    const second = await ensurePlayable(clips.path('mpeg4Avi'), (f) => progress.push(f), { cacheDir, tools, runner });
    expect(second.path).toBe(first.path);
    expect(second.cached).toBe(true);
    expect(calls.length).toBe(spawned);
    expect(progress).toEqual([1]);
  });

  it('shares one ffmpeg run between concurrent requests for the same output', async () => {
    const { runner, calls } = countingRunner();
    const dst = path.join(root, 'shared', 'out.mp4');
    const opts = { cacheDir: path.join(root, 'shared'), tools, runner };
    const [a, b] = await Promise.all([transcodeToH264(clips.path('theora'), dst, () => undefined, opts), transcodeToH264(clips.path('theora'), dst, () => undefined, opts)]);
    expect(a.path).toBe(b.path);
    expect(calls.filter((c) => c.includes('-progress'))).toHaveLength(1);
  });

  it('leaves a playable clip as it is', async () => {
    const { runner, calls } = countingRunner();
    const result = await ensurePlayable(clips.path('h264'), () => undefined, { cacheDir: path.join(root, 'playable'), tools, runner });
    expect(result).toEqual({ path: clips.path('h264'), cached: true, transcoded: false });
    expect(calls.filter((c) => c.includes('-progress'))).toHaveLength(0);
  });

  it('cancels: rejects with AbortError, stops ffmpeg and leaves no partial file', async () => {
    const outDir = path.join(root, 'cancel');
    const controller = new AbortController();
    const progress: number[] = [];
    const work = transcodeToH264(clips.path('long'), path.join(outDir, 'long.mp4'), (f) => {
      progress.push(f);
      if (f > 0 && f < 1) controller.abort();
    }, { cacheDir: path.join(root, 'cancel-cache'), tools, signal: controller.signal });
    await expect(work).rejects.toMatchObject({ name: 'AbortError' });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toBeLessThan(1);
    expect(readdirSync(outDir)).toEqual([]);
  });
});

describe('progressReader', () => {
  it('turns out_time_us into a rising fraction of the duration, and progress=end into 1', () => {
    const seen: number[] = [];
    const read = progressReader(4, (f) => seen.push(f));
    read(Buffer.from('frame=10\nout_time_us=1000000\nprogress=continue\nout_time_us=2000'));
    read(Buffer.from('000\nout_time_us=1500000\nout_time_ms=3000000\nprogress=end\n'));
    expect(seen).toEqual([0.25, 0.5, 0.75, 1]);
  });

  it('ignores N/A times and reports only the end when the duration is unknown', () => {
    const seen: number[] = [];
    const read = progressReader(0, (f) => seen.push(f));
    read(Buffer.from('out_time_us=N/A\nout_time_us=5000000\nprogress=end\n'));
    expect(seen).toEqual([1]);
  });
});
