/**
 * Speech for a demo clip: espeak-ng says the transcript word by word (so every token's span is
 * the real time its word is heard), with the voice of the clip's speaker and pitch, speed and
 * loudness following the clip's acoustic driver.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clipRng } from './demo-corpus';
import type { DemoClip } from './demo-corpus';
import type { WordTiming } from './demo-features';
import { DEMO_RATES, acousticDriver } from './demo-model';
import { DEMO_STREAMS } from './demo-projections';
import { runTool } from './demo-tools';
import { parseWav, trimSilence } from './demo-wav';
import type { MonoAudio } from './demo-wav';

/** espeak-ng voices of the synthetic speakers (a clip's video picks one). */
const VOICES = ['en-us+m3', 'en-us+f3', 'en-us+m1', 'en-us+f2', 'en-us+m7', 'en-us+f4'];
const LEAD = 0.25;
const TAIL = 0.3;
/** Longer pause before words that open a clause. */
const CLAUSE_WORDS = new Set(['and', 'but']);

/** espeak-ng settings of one clip. */
export interface SpeechVoice {
  voice: string;
  pitch: number;
  speed: number;
  amplitude: number;
}

/** Synthesised speech and where each word is in it. */
export interface ClipSpeech {
  audio: MonoAudio;
  words: WordTiming[];
  /** Seconds; a whole number of video frames (1/30 s). */
  duration: number;
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/** The voice of a clip: its speaker's, higher, faster and louder with the acoustic driver. */
export function speechVoice(clip: DemoClip): SpeechVoice {
  const q = acousticDriver(clip.latents);
  return {
    voice: VOICES[clip.traits.persona % VOICES.length],
    pitch: Math.round(clamp(50 + 18 * q, 15, 85)),
    speed: Math.round(clamp(185 + 20 * q, 150, 225)),
    // The synthetic energy of clips without media uses the same exp(0.35 q) gain.
    amplitude: Math.round(clamp(100 * Math.exp(0.35 * q), 40, 200)),
  };
}

async function speakWord(espeak: string, v: SpeechVoice, word: string, file: string): Promise<MonoAudio> {
  const args = ['-v', v.voice, '-p', String(v.pitch), '-s', String(v.speed), '-a', String(v.amplitude), '-w', file, word];
  await runTool(espeak, args, `espeak-ng "${word}"`);
  const audio = parseWav(await readFile(file), file);
  return { sampleRate: audio.sampleRate, samples: trimSilence(audio) };
}

/** Says the clip's transcript in `workDir` and lays the words out with natural pauses. */
export async function synthesiseSpeech(espeak: string, clip: DemoClip, seed: number, workDir: string): Promise<ClipSpeech> {
  const v = speechVoice(clip);
  const words = clip.text.split(' ');
  const said: MonoAudio[] = [];
  for (const [k, word] of words.entries()) said.push(await speakWord(espeak, v, word, join(workDir, `word-${k}.wav`)));
  const sampleRate = said[0].sampleRate;
  const pieces = said.map((a) => a.samples);
  const rng = clipRng(seed, DEMO_STREAMS.layout, clip);
  const starts: number[] = [];
  let at = Math.round(LEAD * sampleRate);
  pieces.forEach((p, k) => {
    if (k > 0) at += Math.round((CLAUSE_WORDS.has(words[k]) ? 0.22 : 0.05 + 0.08 * rng.next()) * sampleRate);
    starts.push(at);
    at += p.length;
  });
  const frame = sampleRate / DEMO_RATES.v;
  const total = Math.ceil((at + TAIL * sampleRate) / frame) * frame;
  const samples = new Float32Array(Math.round(total));
  pieces.forEach((p, k) => samples.set(p, starts[k]));
  // float32-rounded times: the same numbers the feature files store, so a rebuild from them matches.
  const timed = words.map((word, k) => ({ word, start: Math.fround(starts[k] / sampleRate), end: Math.fround((starts[k] + pieces[k].length) / sampleRate) }));
  return { audio: { sampleRate, samples }, words: timed, duration: Math.fround(samples.length / sampleRate) };
}
