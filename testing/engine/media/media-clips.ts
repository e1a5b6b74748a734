/**
 * Tiny media files for the media tests, made on the fly with ffmpeg's lavfi sources (2 s,
 * 160x120, 25 fps, a 440 Hz tone): one per container/codec case the studio must handle.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ToolRunner } from '../../../src-main/engine/media/tool-runner';
import { spawnRunner } from '../../../src-main/engine/media/tool-runner';

/** The clips the tests use. */
export type ClipName = 'h264' | 'hevc' | 'mpeg4Avi' | 'theora' | 'mkv' | 'webm' | 'audioOnly' | 'videoOnly' | 'videoOnlyAvi' | 'audioOnlyMka' | 'toneGap' | 'long';

const VIDEO = ['-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25:duration=2'];
const AUDIO = ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=2'];
const H264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];

const RECIPES: Record<ClipName, { file: string; args: string[]; encoder: string }> = {
  h264: { file: 'h264.mp4', args: [...VIDEO, ...AUDIO, ...H264, '-c:a', 'aac'], encoder: 'libx264' },
  hevc: { file: 'hevc.mp4', args: [...VIDEO, ...AUDIO, '-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error', '-pix_fmt', 'yuv420p', '-tag:v', 'hvc1', '-c:a', 'aac'], encoder: 'libx265' },
  mpeg4Avi: { file: 'mpeg4.avi', args: [...VIDEO, ...AUDIO, '-c:v', 'mpeg4', '-c:a', 'libmp3lame'], encoder: 'mpeg4' },
  theora: { file: 'theora.ogv', args: [...VIDEO, ...AUDIO, '-c:v', 'libtheora', '-c:a', 'libvorbis'], encoder: 'libtheora' },
  mkv: { file: 'h264.mkv', args: [...VIDEO, ...AUDIO, ...H264, '-c:a', 'aac'], encoder: 'libx264' },
  webm: { file: 'vp9.webm', args: [...VIDEO, ...AUDIO, '-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-c:a', 'libopus'], encoder: 'libvpx-vp9' },
  audioOnly: { file: 'tone.m4a', args: [...AUDIO, '-c:a', 'aac'], encoder: 'aac' },
  videoOnly: { file: 'silent-film.mp4', args: [...VIDEO, ...H264], encoder: 'libx264' },
  audioOnlyMka: { file: 'tone.mka', args: [...AUDIO, '-c:a', 'ac3'], encoder: 'ac3' },
  videoOnlyAvi: { file: 'silent-film.avi', args: [...VIDEO, '-c:v', 'mpeg4'], encoder: 'mpeg4' },
  // Long enough (40 s, 640x360) that a transcode is still running when a test cancels it.
  long: { file: 'long.avi', args: ['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25:duration=40', '-f', 'lavfi', '-i', 'sine=duration=40', '-c:v', 'mpeg4', '-q:v', '5', '-c:a', 'libmp3lame'], encoder: 'mpeg4' },
  // 3 s: tone, one second of exact silence, tone (PCM, so the silence stays exactly zero).
  toneGap: { file: 'tone-gap.wav', args: ['-f', 'lavfi', '-i', "aevalsrc='if(between(t,1,2),0,0.8*sin(2*PI*440*t))':s=8000:d=3", '-c:a', 'pcm_s16le'], encoder: 'pcm_s16le' },
};

let encoders: string | null = null;

/** True when this ffmpeg has `encoder` (e.g. libx265 is missing from some builds). */
export function hasEncoder(encoder: string): boolean {
  encoders ??= execFileSync('ffmpeg', ['-hide_banner', '-encoders'], { encoding: 'utf8' });
  return new RegExp(`^\\s*[VAS][.A-Z]{5}\\s+${encoder}\\s`, 'm').test(encoders);
}

/** A temp folder of clips, made on demand; `dispose()` removes it. */
export class MediaClips {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'dar-media-'));
  private readonly made = new Map<ClipName, string>();

  /** The path of a clip, made on first use. */
  path(name: ClipName): string {
    const known = this.made.get(name);
    if (known) return known;
    const recipe = RECIPES[name];
    const file = path.join(this.dir, recipe.file);
    execFileSync('ffmpeg', ['-hide_banner', '-v', 'error', '-y', ...recipe.args, '-shortest', file]);
    this.made.set(name, file);
    return file;
  }

  /** Whether this ffmpeg has the encoder the clip needs. */
  canMake(name: ClipName): boolean {
    return hasEncoder(RECIPES[name].encoder);
  }

  /** Removes the folder and every clip in it. */
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A runner that counts (and records) the processes it starts, then runs them for real. */
export function countingRunner(): { runner: ToolRunner; calls: string[][] } {
  const calls: string[][] = [];
  const runner: ToolRunner = (command, args, options) => {
    calls.push([command, ...args]);
    return spawnRunner(command, args, options);
  };
  return { runner, calls };
}
