/**
 * The video of a demo clip (H.264/AAC .mp4, 480x270, 30 fps): espeak-ng speech of the
 * transcript (demo-speech.ts), a drawn face (demo-picture.ts), the transcript as karaoke
 * captions and a "SYNTHETIC DEMO" caption, encoded by ffmpeg with bit-exact flags so the same
 * clip gives the same bytes. The clip's features are re-timed to the speech.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { retimeClip } from './demo-corpus';
import type { DemoClip, DemoCorpus } from './demo-corpus';
import { evenSpans, frameCount } from './demo-features';
import type { ClipTimeline } from './demo-features';
import { DEMO_RATES } from './demo-model';
import { PICTURE, drawFrame } from './demo-picture';
import { synthesiseSpeech } from './demo-speech';
import type { MediaTools } from './demo-tools';
import { runTool } from './demo-tools';
import { encodeWav, frameRms } from './demo-wav';
import type { MonoAudio } from './demo-wav';

const FONT_DIR = '/usr/share/fonts/truetype/dejavu';
/** Transcript characters per caption line at the caption's font size. */
const LINE_CHARS = 42;
/** RMS at which the drawn mouth is fully open. */
const OPEN_RMS = 0.12;

/** Word indices per caption line, greedy by characters. */
export function wrapWords(words: readonly string[], maxChars = LINE_CHARS): number[][] {
  const lines: number[][] = [];
  let length = 0;
  words.forEach((w, k) => {
    const line = lines[lines.length - 1];
    if (line && length + 1 + w.length <= maxChars) {
      line.push(k);
      length += 1 + w.length;
    } else {
      lines.push([k]);
      length = w.length;
    }
  });
  return lines;
}

/** The caption text with only the first `count` words, keeping the full text's line breaks. */
export function captionPrefix(words: readonly string[], lines: number[][], count: number): string {
  return lines
    .map((line) => line.filter((k) => k < count).map((k) => words[k]).join(' '))
    .filter((line) => line.length > 0)
    .join('\n');
}

function font(bold: boolean): string {
  const file = join(FONT_DIR, bold ? 'DejaVuSans-Bold.ttf' : 'DejaVuSans.ttf');
  return existsSync(file) ? `fontfile='${file}'` : `font='DejaVu Sans${bold ? ':style=Bold' : ''}'`;
}

/** ffmpeg's filter chain: caption band, transcript (spoken words highlighted), labels. */
async function captionFilters(clip: DemoClip, timeline: ClipTimeline, workDir: string): Promise<string> {
  const words = timeline.words.map((w) => w.word);
  const lines = wrapWords(words);
  const text = (file: string, color: string): string =>
    `drawtext=${font(false)}:textfile='${file}':expansion=none:fontsize=18:line_spacing=6:fontcolor=${color}:x=16:y=h-64`;
  await writeFile(join(workDir, 'caption-all.txt'), captionPrefix(words, lines, words.length));
  const filters = ['drawbox=x=0:y=ih-74:w=iw:h=74:color=black@0.6:t=fill', text(join(workDir, 'caption-all.txt'), '0xB8B8B8')];
  for (let k = 0; k < words.length; k++) {
    const file = join(workDir, `caption-${k}.txt`);
    await writeFile(file, captionPrefix(words, lines, k + 1));
    const until = k + 1 < words.length ? timeline.words[k + 1].start : timeline.duration + 1;
    filters.push(`${text(file, '0xFFE14D')}:enable='between(t,${timeline.words[k].start.toFixed(4)},${until.toFixed(4)})'`);
  }
  filters.push(`drawtext=${font(true)}:text='SYNTHETIC DEMO':fontsize=16:fontcolor=white:box=1:boxcolor=0xC0392B@0.92:boxborderw=6:x=12:y=12`);
  filters.push(`drawtext=${font(false)}:text='${clip.videoId} / ${clip.clipId}':fontsize=13:fontcolor=white@0.85:x=w-tw-12:y=16`);
  return filters.join(',');
}

/** All frames of the clip as one RGB24 buffer. */
function drawFrames(clip: DemoClip, speech: MonoAudio): Uint8Array {
  const { look, spans, lengths } = clip.features;
  const n = lengths.v;
  const rms = frameRms(speech, spans.v);
  const size = PICTURE.width * PICTURE.height * 3;
  const out = new Uint8Array(n * size);
  const blinkPhase = (clip.traits.persona * 7) % 97;
  for (let i = 0; i < n; i++) {
    const frame = { smile: look.smile[i], poseX: look.poseX[i], poseY: look.poseY[i], light: look.light[i] };
    const open = Math.min(1, rms[i] / OPEN_RMS);
    drawFrame(out.subarray(i * size, (i + 1) * size), { ...frame, open, blink: (i + blinkPhase) % 97 < 4 }, clip.traits.persona);
  }
  return out;
}

/** ffmpeg arguments that make the same inputs give the same bytes. */
function encodeArgs(frames: string, wav: string, filters: string, out: string): string[] {
  const size = `${PICTURE.width}x${PICTURE.height}`;
  return [
    '-hide_banner', '-loglevel', 'error', '-y', '-threads', '1', '-filter_threads', '1',
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', size, '-r', String(DEMO_RATES.v), '-i', frames,
    '-i', wav, '-vf', filters, '-map', '0:v', '-map', '1:a',
    '-c:v', 'libx264', '-preset', 'medium', '-crf', '30', '-pix_fmt', 'yuv420p', '-g', '60',
    '-c:a', 'aac', '-b:a', '48k', '-ac', '1',
    '-map_metadata', '-1', '-movflags', '+faststart',
    '-fflags', '+bitexact', '-flags:v', '+bitexact', '-flags:a', '+bitexact', out,
  ];
}

/**
 * Makes the clip's video at `outPath` (work files in `workDir`) and returns the clip re-timed
 * to its speech: real word spans and duration, acoustic energy measured on the speech.
 */
export async function makeClipVideo(tools: MediaTools, corpus: DemoCorpus, clip: DemoClip, outPath: string, workDir: string): Promise<DemoClip> {
  const speech = await synthesiseSpeech(tools.espeak, clip, corpus.options.seed, workDir);
  const timeline: ClipTimeline = { duration: speech.duration, words: speech.words };
  const energy = frameRms(speech.audio, evenSpans(frameCount(speech.duration, DEMO_RATES.a), speech.duration));
  const timed = retimeClip(corpus, clip, timeline, energy);
  const frames = join(workDir, 'frames.rgb');
  const wav = join(workDir, 'speech.wav');
  await writeFile(frames, drawFrames(timed, speech.audio));
  await writeFile(wav, encodeWav(speech.audio));
  const filters = await captionFilters(timed, timeline, workDir);
  await runTool(tools.ffmpeg, encodeArgs(frames, wav, filters, outPath), `ffmpeg encoding ${outPath}`);
  return timed;
}
