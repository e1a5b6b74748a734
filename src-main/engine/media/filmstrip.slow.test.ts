import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { filmstrip } from './filmstrip';
import { resolveFfmpeg } from './resolve-ffmpeg';
import { MediaClips, countingRunner } from '../../../testing/engine/media/media-clips';

const clips = new MediaClips();
const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'dar-strip-cache-'));
afterAll(() => {
  clips.dispose();
  rmSync(cacheDir, { recursive: true, force: true });
});
const tools = await resolveFfmpeg();

/** Decodes a JPEG to its size and RGB bytes with ffmpeg. */
function decodeJpeg(image: Uint8Array): { width: number; height: number; rgb: Buffer } {
  const info = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', '-i', 'pipe:0'], { input: image, encoding: 'utf8' });
  const [width, height] = info.trim().split(',').map(Number);
  const rgb = execFileSync('ffmpeg', ['-v', 'error', '-i', 'pipe:0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { input: image });
  return { width, height, rgb };
}

describe('filmstrip', () => {
  it('makes one JPEG sprite of evenly spaced tiles at the asked height, with their times', async () => {
    const strip = await filmstrip(clips.path('h264'), 8, 60, { cacheDir, tools });
    expect(strip).not.toBeNull();
    expect(strip!.tileHeight).toBe(60);
    expect(strip!.tileWidth).toBe(80); // 160x120 keeps 4:3
    const { width, height } = decodeJpeg(strip!.image);
    expect([width, height]).toEqual([8 * 80, 60]);
    expect(Array.from(strip!.times)).toEqual([0.125, 0.375, 0.625, 0.875, 1.125, 1.375, 1.625, 1.875]);
    expect(existsSync(strip!.imagePath)).toBe(true);
  });

  it('lays out the same frames whether it decodes once or seeks per tile', async () => {
    const once = await filmstrip(clips.path('h264'), 6, 48, { cacheDir: path.join(cacheDir, 'once'), tools });
    const seeks = await filmstrip(clips.path('h264'), 6, 48, { cacheDir: path.join(cacheDir, 'seek'), tools, singlePassSeconds: 0 });
    const a = decodeJpeg(once!.image);
    const b = decodeJpeg(seeks!.image);
    expect([b.width, b.height]).toEqual([a.width, a.height]);
    // Tiles may be a neighbouring frame apart (and are JPEG-coded), so each tile of one must be
    // nearest the same tile of the other: a wrong order, time or a black tile breaks that.
    const tileBytes = (a.width / 6) * 3;
    const tileDiff = (i: number, j: number): number => {
      let d = 0;
      for (let y = 0; y < a.height; y++) {
        for (let x = 0; x < tileBytes; x++) d += Math.abs(a.rgb[y * a.width * 3 + i * tileBytes + x] - b.rgb[y * a.width * 3 + j * tileBytes + x]);
      }
      return d;
    };
    for (let i = 0; i < 6; i++) {
      const diffs = Array.from({ length: 6 }, (_, j) => tileDiff(i, j));
      expect(diffs.indexOf(Math.min(...diffs))).toBe(i);
    }
  });

  it('is null for a clip without video', async () => {
    expect(await filmstrip(clips.path('audioOnly'), 8, 60, { cacheDir, tools })).toBeNull();
  });

  it('answers a second request from the cache without starting a process', async () => {
    const { runner, calls } = countingRunner();
    const dir = path.join(cacheDir, 'counted');
    const first = await filmstrip(clips.path('videoOnly'), 5, 40, { cacheDir: dir, tools, runner });
    const spawned = calls.length;
    expect(spawned).toBeGreaterThan(0);
    const second = await filmstrip(clips.path('videoOnly'), 5, 40, { cacheDir: dir, tools, runner });
    expect(calls.length).toBe(spawned);
    expect(second).toEqual(first);
    // Other parameters are another product.
    await filmstrip(clips.path('videoOnly'), 4, 40, { cacheDir: dir, tools, runner });
    expect(calls.length).toBeGreaterThan(spawned);
  });

  it('refuses impossible layouts with ARG_INVALID', async () => {
    await expect(filmstrip(clips.path('h264'), 0, 60, { cacheDir, tools })).rejects.toMatchObject({ code: 'ARG_INVALID' });
    await expect(filmstrip(clips.path('h264'), 8, 61, { cacheDir, tools })).rejects.toMatchObject({ code: 'ARG_INVALID' });
    await expect(filmstrip(clips.path('h264'), 240, 1080, { cacheDir, tools })).rejects.toMatchObject({ code: 'ARG_INVALID', message: expect.stringMatching(/sprite/) });
  });
});
