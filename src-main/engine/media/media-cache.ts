/**
 * The per-clip media cache: probes, waveforms, filmstrips and transcodes are stored under a key
 * of the source's absolute path, size and mtime plus the parameters, so an edited file misses
 * and a second request spawns nothing. Writes are atomic (temp file, fsync, rename).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { MediaTools } from '#contract/media';
import { atomicWrite } from '../checkpoint/atomic-write';
import { DarError } from '../errors';
import { resolveFfmpeg } from './resolve-ffmpeg';
import type { ToolRunner } from './tool-runner';
import { spawnRunner } from './tool-runner';

/** What every media function needs besides its own arguments. */
export interface MediaOptions {
  /** Folder of the cache (created on first write). */
  cacheDir: string;
  /** The tools [resolveFfmpeg()]. */
  tools?: MediaTools;
  /** How processes are run [spawnRunner]. */
  runner?: ToolRunner;
}

/** MediaOptions with the defaults filled in. */
export interface MediaContext {
  cacheDir: string;
  tools: MediaTools;
  runner: ToolRunner;
}

/** Fills in the tools (resolving them, which may throw MEDIA_TOOL_MISSING) and the runner. */
export async function mediaContext(options: MediaOptions): Promise<MediaContext> {
  return { cacheDir: options.cacheDir, tools: options.tools ?? (await resolveFfmpeg()), runner: options.runner ?? spawnRunner };
}

/** The identity of a source file for cache keys; FILE_NOT_FOUND when it is not a readable file. */
export interface SourceStamp {
  file: string;
  size: number;
  mtimeMs: number;
}

/** Stats a source file (absolute path, size, mtime). */
export async function sourceStamp(file: string): Promise<SourceStamp> {
  const abs = path.resolve(file);
  const info = await stat(abs).catch(() => null);
  if (!info?.isFile()) throw new DarError('FILE_NOT_FOUND', `${abs}: no such media file`);
  return { file: abs, size: info.size, mtimeMs: info.mtimeMs };
}

/** The cache file of one product (`kind`) of a source with these parameters. */
export function cacheFile(cacheDir: string, kind: string, source: SourceStamp, params: readonly (string | number)[], ext: string): string {
  const key = JSON.stringify([source.file, source.size, source.mtimeMs, kind, ...params]);
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 32);
  return path.join(cacheDir, `${kind}-${hash}.${ext}`);
}

/** A cached file's bytes, or null when absent. */
export async function readCached(file: string): Promise<Buffer | null> {
  return readFile(file).catch(() => null);
}

/** Stores bytes atomically, creating the cache folder. */
export async function writeCached(file: string, bytes: Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await atomicWrite(file, [bytes]);
}

const inFlight = new Map<string, Promise<unknown>>();

/** Runs `work` once per key at a time: concurrent callers for the same product share one run. */
export function singleFlight<T>(key: string, work: () => Promise<T>): Promise<T> {
  const running = inFlight.get(key);
  if (running) return running as Promise<T>;
  const promise = work().finally(() => inFlight.delete(key));
  inFlight.set(key, promise);
  return promise;
}

/** The platform's user cache folder for media products (the shells may pass their own). */
export function defaultMediaCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'DAR Studio', 'media-cache');
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'DAR Studio', 'media');
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'dar-studio', 'media');
}
