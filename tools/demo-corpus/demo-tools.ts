/**
 * The external programs the demo videos are made with: ffmpeg (FFMPEG_PATH, else `ffmpeg` on
 * PATH) and espeak-ng (ESPEAK_PATH, else `espeak-ng` on PATH).
 */
import { execFile } from 'node:child_process';
import { DarError } from '../../src-main/engine/errors';

/** Resolved commands of the media tools. */
export interface MediaTools {
  ffmpeg: string;
  espeak: string;
}

/** The tools, or which of them are missing and how to provide them. */
export type MediaToolsLookup = { ok: true; tools: MediaTools } | { ok: false; missing: string[] };

/** Runs a tool and resolves with its stdout; a failure becomes MEDIA_FAILED naming the tool. */
export function runTool(command: string, args: readonly string[], what: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const detail = stderr.toString('utf8').trim().split('\n').slice(-3).join(' | ') || err.message;
      reject(new DarError('MEDIA_FAILED', `${what} failed (${command}): ${detail}`));
    });
  });
}

async function works(command: string, args: readonly string[]): Promise<boolean> {
  try {
    await runTool(command, args, command);
    return true;
  } catch {
    return false;
  }
}

/** Looks the tools up; never throws, so callers can fall back to numeric-only data. */
export async function findMediaTools(env: NodeJS.ProcessEnv = process.env): Promise<MediaToolsLookup> {
  const ffmpeg = env.FFMPEG_PATH || 'ffmpeg';
  const espeak = env.ESPEAK_PATH || 'espeak-ng';
  const missing: string[] = [];
  if (!(await works(ffmpeg, ['-hide_banner', '-version']))) missing.push(`ffmpeg ("${ffmpeg}"; set FFMPEG_PATH or put ffmpeg on PATH)`);
  if (!(await works(espeak, ['--version']))) missing.push(`espeak-ng ("${espeak}"; set ESPEAK_PATH or install espeak-ng)`);
  return missing.length === 0 ? { ok: true, tools: { ffmpeg, espeak } } : { ok: false, missing };
}
