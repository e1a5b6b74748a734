/**
 * A folder of short real-format videos for the extraction tests, made with ffmpeg at test time
 * (nothing binary is committed): H.264/AAC mp4 and VP9/Opus webm, lavfi sine speech stand-ins,
 * a face (a still image looped, or a skin-coloured field the fake tracker takes for one) or no
 * face (testsrc2), with and without transcripts; plus the broken cases a run must survive.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { faceFrame } from './visual/face-frames';

/** One video of a test folder. */
export type FixtureVideo = 'interview' | 'vlog' | 'noface' | 'silent' | 'mute' | 'broken';

const H264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac'];
const VP9 = ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-pix_fmt', 'yuv420p', '-c:a', 'libopus'];
/** Skin tone: what fakeExtractors' tracker calls a face. */
export const FAKE_FACE_COLOUR = '0xE0B090';

function faceInput(seconds: number, faceImage: string | undefined): string[] {
  if (faceImage) return ['-loop', '1', '-framerate', '25', '-t', String(seconds), '-i', faceImage];
  return ['-f', 'lavfi', '-i', `color=c=${FAKE_FACE_COLOUR}:size=320x240:rate=25:duration=${seconds}`];
}

const tone = (seconds: number, hz: number): string[] => ['-f', 'lavfi', '-i', `sine=frequency=${hz}:sample_rate=44100:duration=${seconds}`];
const noFace = (seconds: number): string[] => ['-f', 'lavfi', '-i', `testsrc2=size=320x240:rate=25:duration=${seconds}`];

function ffmpeg(args: string[], out: string): void {
  // Even dimensions whatever the image; the shortest input ends the file.
  execFileSync('ffmpeg', ['-hide_banner', '-v', 'error', '-y', ...args, '-vf', 'scale=trunc(iw/2)*2:trunc(ih/2)*2', '-shortest', out]);
}

const SRT = '1\n00:00:00,200 --> 00:00:01,400\nI really liked\n\n2\n00:00:01,500 --> 00:00:02,800\nthis <i>movie</i> a lot\n';

/** Makes `which` videos (and their transcripts) in `dir`; `faceImage` puts a real face in the face videos. */
export function makeVideoFolder(dir: string, which: readonly FixtureVideo[], faceImage?: string): string {
  mkdirSync(dir, { recursive: true });
  const at = (name: string): string => path.join(dir, name);
  for (const v of which) {
    if (v === 'interview') {
      ffmpeg([...faceInput(3, faceImage), ...tone(3, 220), ...H264], at('interview.mp4'));
      writeFileSync(at('interview.srt'), SRT);
    } else if (v === 'vlog') {
      // No transcript: the language track is only [CLS] and [SEP].
      ffmpeg([...faceInput(2.5, faceImage), ...tone(2.5, 330), ...VP9], at('vlog.webm'));
    } else if (v === 'noface') {
      ffmpeg([...noFace(2), ...tone(2, 440), ...H264], at('noface.mp4'));
      writeFileSync(at('noface.txt'), 'nobody is here\n');
    } else if (v === 'silent') {
      ffmpeg([...faceInput(2, faceImage), '-f', 'lavfi', '-i', 'anullsrc=r=44100:cl=mono', '-t', '2', ...H264], at('silent.mp4'));
    } else if (v === 'mute') {
      execFileSync('ffmpeg', ['-hide_banner', '-v', 'error', '-y', ...faceInput(2, faceImage), '-vf', 'scale=trunc(iw/2)*2:trunc(ih/2)*2', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', at('mute.mp4')]);
    } else {
      writeFileSync(at('broken.mp4'), 'this is not a video at all');
    }
  }
  return dir;
}

/** A word-timed JSON transcript (engine/extract/transcript.ts's format). */
export function wordJson(words: ReadonlyArray<[string, number, number]>): string {
  return JSON.stringify({ words: words.map(([word, start, end]) => ({ word, start, end })) });
}

/** A 320x240 PNG of the visual fixture face (what the real tracker must find), written into `dir`. */
export function fixtureFacePng(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const raw = path.join(dir, 'face.rgb');
  writeFileSync(raw, faceFrame(320, 240, [{ x: 40, y: 0, size: 240 }]));
  const png = path.join(dir, 'face.png');
  execFileSync('ffmpeg', ['-hide_banner', '-v', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', '320x240', '-i', raw, '-frames:v', '1', png]);
  return png;
}
