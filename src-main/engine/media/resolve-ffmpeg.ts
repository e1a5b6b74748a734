/**
 * Finds ffmpeg and ffprobe. ffmpeg: FFMPEG_PATH -> the ffmpeg-static package (an optional
 * dependency whose binary download may have failed) -> `ffmpeg` on PATH. ffprobe: FFPROBE_PATH
 * -> beside the chosen ffmpeg -> PATH -> none (probing then parses `ffmpeg -i`). Only the file
 * system is consulted: nothing is spawned here.
 */
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import type { MediaTools } from '#contract/media';
import { DarError } from '../errors';

export type { MediaTools, MediaToolSource } from '#contract/media';

/** Where resolveFfmpeg looks; every field defaults to the real process. */
export interface ResolveOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** The ffmpeg-static binary path, or null when the package is absent [dynamic import]. */
  ffmpegStatic?: () => Promise<string | null>;
}

/** What the user is told when no ffmpeg exists (the UI shows it as is). */
export const INSTALL_HINT =
  'Install ffmpeg (Windows: `winget install Gyan.FFmpeg`; macOS: `brew install ffmpeg`; Linux: `sudo apt install ffmpeg`) ' +
  'and restart the studio, or set FFMPEG_PATH to the ffmpeg program.';

function isExecutableFile(file: string, platform: NodeJS.Platform): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (platform !== 'win32') accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function exeNames(name: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  if (platform !== 'win32' || path.extname(name)) return [name];
  const exts = (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean);
  return exts.map((ext) => name + ext.toLowerCase());
}

/** The first `name` on the PATH that is an executable file, or null. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | null {
  const pathVar = env.PATH ?? env.Path ?? '';
  const delimiter = platform === 'win32' ? ';' : ':';
  for (const dir of pathVar.split(delimiter).filter(Boolean)) {
    for (const exe of exeNames(name, env, platform)) {
      const file = path.join(dir, exe);
      if (isExecutableFile(file, platform)) return file;
    }
  }
  return null;
}

/** A path inside an app.asar, moved to app.asar.unpacked: a binary in the archive cannot be run. */
export function unpackedPath(file: string): string {
  return file.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

/** The binary of the optional ffmpeg-static package (outside app.asar), or null when it is not installed. */
export async function importFfmpegStatic(): Promise<string | null> {
  try {
    // A variable specifier keeps bundlers and the type checker off the optional package.
    const pkg = 'ffmpeg-static';
    const mod = (await import(/* @vite-ignore */ pkg)) as { default?: unknown };
    const file = mod.default;
    if (typeof file !== 'string') return null;
    return unpackedPath(file);
  } catch {
    return null;
  }
}

/** An env var naming a tool: an absolute/relative file, or a bare command looked up on PATH. */
function fromEnv(name: string, value: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  const found = /[\\/]/.test(value) ? (isExecutableFile(path.resolve(value), platform) ? path.resolve(value) : null) : findOnPath(value, env, platform);
  if (!found) throw new DarError('MEDIA_TOOL_MISSING', `${name} is set to "${value}", which is not an executable file. Fix or unset ${name}. ${INSTALL_HINT}`);
  return found;
}

function findFfprobe(ffmpeg: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | null {
  const fromVar = env.FFPROBE_PATH?.trim();
  if (fromVar) return fromEnv('FFPROBE_PATH', fromVar, env, platform);
  const besideName = path.basename(ffmpeg).replace(/ffmpeg/i, (m) => (m === 'FFMPEG' ? 'FFPROBE' : 'ffprobe'));
  const beside = path.join(path.dirname(ffmpeg), besideName);
  if (besideName !== path.basename(ffmpeg) && isExecutableFile(beside, platform)) return beside;
  return findOnPath('ffprobe', env, platform);
}

/** The media tools to use, or MEDIA_TOOL_MISSING telling the user what to install. */
export async function resolveFfmpeg(options: ResolveOptions = {}): Promise<MediaTools> {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const fromVar = env.FFMPEG_PATH?.trim();
  if (fromVar) {
    const ffmpeg = fromEnv('FFMPEG_PATH', fromVar, env, platform);
    return { ffmpeg, ffprobe: findFfprobe(ffmpeg, env, platform), source: 'env' };
  }
  const bundled = await (options.ffmpegStatic ?? importFfmpegStatic)();
  if (bundled && isExecutableFile(bundled, platform)) return { ffmpeg: bundled, ffprobe: findFfprobe(bundled, env, platform), source: 'ffmpeg-static' };
  const onPath = findOnPath('ffmpeg', env, platform);
  if (onPath) return { ffmpeg: onPath, ffprobe: findFfprobe(onPath, env, platform), source: 'path' };
  throw new DarError('MEDIA_TOOL_MISSING', `ffmpeg was not found (FFMPEG_PATH is unset, the ffmpeg-static package is not installed, no ffmpeg on PATH). ${INSTALL_HINT}`);
}
