import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveFfmpeg } from './resolve-ffmpeg';
import { MediaClips, countingRunner } from '../../../testing/engine/media/media-clips';
import type { ToolRunner } from './tool-runner';
import { spawnRunner } from './tool-runner';
import { waveform } from './waveform';

const clips = new MediaClips();
const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'dar-wave-cache-'));
afterAll(() => {
  clips.dispose();
  rmSync(cacheDir, { recursive: true, force: true });
});
const tools = await resolveFfmpeg();

describe('waveform', () => {
  it('gives min/max peaks per bucket, near zero over a silent second', async () => {
    // tone-gap.wav: 3 s, a 0.8-amplitude tone, silence from 1 s to 2 s, the tone again.
    const w = await waveform(clips.path('toneGap'), 30, { cacheDir, tools });
    expect(w).not.toBeNull();
    expect(w!.buckets).toBe(30);
    expect(w!.min).toBeInstanceOf(Float32Array);
    expect(w!.min).toHaveLength(30);
    expect(w!.max).toHaveLength(30);
    expect(w!.duration).toBeCloseTo(3, 2);
    for (let b = 0; b < 30; b++) {
      expect(w!.min[b]).toBeLessThanOrEqual(w!.max[b]);
      const t = (b + 0.5) / 10;
      if (t > 1.15 && t < 1.85) expect(Math.max(-w!.min[b], w!.max[b])).toBeLessThan(0.01);
      if (t < 0.9 || t > 2.1) {
        expect(w!.max[b]).toBeGreaterThan(0.7);
        expect(w!.min[b]).toBeLessThan(-0.7);
      }
    }
  });

  it('decodes compressed audio from a video file', async () => {
    const w = await waveform(clips.path('h264'), 100, { cacheDir, tools });
    expect(w!.duration).toBeCloseTo(2, 1);
    expect(Math.max(...w!.max)).toBeGreaterThan(0.05);
  });

  it('is null for a clip without audio', async () => {
    expect(await waveform(clips.path('videoOnly'), 50, { cacheDir, tools })).toBeNull();
  });

  it('answers a second request from the cache without starting a process', async () => {
    const { runner, calls } = countingRunner();
    const dir = path.join(cacheDir, 'counted');
    const first = await waveform(clips.path('audioOnly'), 64, { cacheDir: dir, tools, runner });
    expect(calls.length).toBe(2); // probe + decode
    const second = await waveform(clips.path('audioOnly'), 64, { cacheDir: dir, tools, runner });
    expect(calls.length).toBe(2);
    expect(second).toEqual(first);
    // The video-only clip's "no waveform" answer is cached too (its probe is).
    await waveform(clips.path('videoOnly'), 64, { cacheDir: dir, tools, runner });
    const before = calls.length;
    expect(await waveform(clips.path('videoOnly'), 64, { cacheDir: dir, tools, runner })).toBeNull();
    expect(calls.length).toBe(before);
  });

  it('reassembles floats split across stdout chunks', async () => {
    // Re-chunk ffmpeg's output into 3-byte pieces: every float straddles a boundary.
    const choppy: ToolRunner = (command, args, options) =>
      spawnRunner(command, args, {
        ...options,
        onStdout: options?.onStdout && ((chunk) => {
          for (let i = 0; i < chunk.length; i += 3) options.onStdout!(chunk.subarray(i, i + 3));
        }),
      });
    const smooth = await waveform(clips.path('toneGap'), 12, { cacheDir: path.join(cacheDir, 'a'), tools });
    const chopped = await waveform(clips.path('toneGap'), 12, { cacheDir: path.join(cacheDir, 'b'), tools, runner: choppy });
    expect(chopped).toEqual(smooth);
  });

  it('refuses a bucket count out of range with ARG_INVALID', async () => {
    await expect(waveform(clips.path('toneGap'), 0, { cacheDir, tools })).rejects.toMatchObject({ code: 'ARG_INVALID' });
    await expect(waveform(clips.path('toneGap'), 1.5, { cacheDir, tools })).rejects.toMatchObject({ code: 'ARG_INVALID' });
  });
});
