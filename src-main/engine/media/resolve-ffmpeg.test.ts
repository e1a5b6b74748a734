import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DarError } from '../errors';
import { probeMedia } from './probe-media';
import { findOnPath, importFfmpegStatic, resolveFfmpeg, unpackedPath } from './resolve-ffmpeg';
import { spawnRunner } from './tool-runner';

const root = mkdtempSync(path.join(os.tmpdir(), 'dar-resolve-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Makes `dir/name` an executable stub and returns its path. */
function tool(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, '#!/bin/sh\nexit 0\n');
  chmodSync(file, 0o755);
  return file;
}

const envDir = path.join(root, 'env');
const pathDir = path.join(root, 'on-path');
const staticDir = path.join(root, 'static');
const empty = path.join(root, 'empty');
mkdirSync(empty, { recursive: true });
const envFfmpeg = tool(envDir, 'ffmpeg');
const envFfprobe = tool(envDir, 'ffprobe');
const pathFfmpeg = tool(pathDir, 'ffmpeg');
const pathFfprobe = tool(pathDir, 'ffprobe');
const staticFfmpeg = tool(staticDir, 'ffmpeg');
const noStatic = async (): Promise<string | null> => null;

async function codeOf(work: Promise<unknown>): Promise<{ code: string; message: string }> {
  const err = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DarError);
  return err as DarError;
}

describe('resolveFfmpeg', () => {
  it('prefers FFMPEG_PATH over ffmpeg-static and the PATH, with ffprobe beside it', async () => {
    const tools = await resolveFfmpeg({ env: { FFMPEG_PATH: envFfmpeg, PATH: pathDir }, ffmpegStatic: async () => staticFfmpeg });
    expect(tools).toEqual({ ffmpeg: envFfmpeg, ffprobe: envFfprobe, source: 'env' });
  });

  it('lets FFPROBE_PATH override the ffprobe beside ffmpeg', async () => {
    const tools = await resolveFfmpeg({ env: { FFMPEG_PATH: envFfmpeg, FFPROBE_PATH: pathFfprobe, PATH: empty }, ffmpegStatic: noStatic });
    expect(tools.ffprobe).toBe(pathFfprobe);
  });

  it('takes a bare command name in FFMPEG_PATH from the PATH', async () => {
    const tools = await resolveFfmpeg({ env: { FFMPEG_PATH: 'ffmpeg', PATH: pathDir }, ffmpegStatic: noStatic });
    expect(tools).toMatchObject({ ffmpeg: pathFfmpeg, source: 'env' });
  });

  it('uses ffmpeg-static next, with ffprobe from the PATH since the package has none', async () => {
    const tools = await resolveFfmpeg({ env: { PATH: pathDir }, ffmpegStatic: async () => staticFfmpeg });
    expect(tools).toEqual({ ffmpeg: staticFfmpeg, ffprobe: pathFfprobe, source: 'ffmpeg-static' });
  });

  it('skips an ffmpeg-static whose binary never downloaded and falls back to the PATH', async () => {
    const tools = await resolveFfmpeg({ env: { PATH: `${empty}:${pathDir}` }, ffmpegStatic: async () => path.join(staticDir, 'missing') });
    expect(tools).toEqual({ ffmpeg: pathFfmpeg, ffprobe: pathFfprobe, source: 'path' });
  });

  it('leaves ffprobe null when there is none anywhere (probing then parses ffmpeg -i)', async () => {
    const tools = await resolveFfmpeg({ env: { PATH: staticDir }, ffmpegStatic: noStatic });
    expect(tools).toEqual({ ffmpeg: staticFfmpeg, ffprobe: null, source: 'path' });
  });

  it('finds ffmpeg.exe through PATHEXT on Windows', () => {
    tool(path.join(root, 'win'), 'ffmpeg.exe');
    expect(findOnPath('ffmpeg', { Path: `${empty};${path.join(root, 'win')}`, PATHEXT: '.COM;.EXE' }, 'win32')).toBe(path.join(root, 'win', 'ffmpeg.exe'));
  });

  it('says what to install when no ffmpeg exists anywhere', async () => {
    const err = await codeOf(resolveFfmpeg({ env: { PATH: empty }, ffmpegStatic: noStatic }));
    expect(err.code).toBe('MEDIA_TOOL_MISSING');
    expect(err.message).toMatch(/ffmpeg was not found/);
    expect(err.message).toMatch(/brew install ffmpeg/);
    expect(err.message).toMatch(/FFMPEG_PATH/);
  });

  it('names FFMPEG_PATH when it points at nothing', async () => {
    const err = await codeOf(resolveFfmpeg({ env: { FFMPEG_PATH: path.join(root, 'nope', 'ffmpeg'), PATH: pathDir }, ffmpegStatic: noStatic }));
    expect(err.code).toBe('MEDIA_TOOL_MISSING');
    expect(err.message).toMatch(/FFMPEG_PATH is set to ".*nope.*ffmpeg"/);
  });

  it('moves an ffmpeg-static path out of app.asar', () => {
    expect(unpackedPath('/Applications/DAR Studio.app/Contents/Resources/app.asar/node_modules/ffmpeg-static/ffmpeg')).toBe(
      '/Applications/DAR Studio.app/Contents/Resources/app.asar.unpacked/node_modules/ffmpeg-static/ffmpeg',
    );
    expect(unpackedPath('C:\\DAR\\resources\\app.asar\\node_modules\\ffmpeg-static\\ffmpeg.exe')).toBe('C:\\DAR\\resources\\app.asar.unpacked\\node_modules\\ffmpeg-static\\ffmpeg.exe');
  });

  it('finds the real ffmpeg of this machine on its PATH', async () => {
    const tools = await resolveFfmpeg({ env: { PATH: process.env.PATH }, ffmpegStatic: noStatic });
    expect(tools.source).toBe('path');
    const run = await spawnRunner(tools.ffmpeg, ['-hide_banner', '-version']);
    expect(run.code).toBe(0);
    expect(run.stdout.toString()).toMatch(/^ffmpeg version/);
  });
});

// Where ffmpeg-static's binary did download, the process always has an ffmpeg: nothing to simulate.
const bundled = await importFfmpegStatic();

describe('without ffmpeg', () => {
  it.skipIf(bundled !== null)('probing answers MEDIA_TOOL_MISSING when the PATH has no ffmpeg (skipped: ffmpeg-static is installed)', async () => {
    const saved = { PATH: process.env.PATH, FFMPEG_PATH: process.env.FFMPEG_PATH };
    process.env.PATH = empty;
    delete process.env.FFMPEG_PATH;
    try {
      const err = await codeOf(probeMedia(envFfmpeg, { cacheDir: path.join(root, 'cache') }));
      expect(err.code).toBe('MEDIA_TOOL_MISSING');
      expect(err.message).toMatch(/Install ffmpeg/);
    } finally {
      process.env.PATH = saved.PATH;
      if (saved.FFMPEG_PATH !== undefined) process.env.FFMPEG_PATH = saved.FFMPEG_PATH;
    }
  });

  it('a tool that cannot be started is MEDIA_TOOL_MISSING, not a crash', async () => {
    const err = await codeOf(spawnRunner(path.join(root, 'no-such-ffmpeg'), ['-version']));
    expect(err.code).toBe('MEDIA_TOOL_MISSING');
  });
});
