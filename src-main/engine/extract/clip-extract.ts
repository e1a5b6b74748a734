/**
 * One video through the three extractors: probe, audio (decode, silence check, acoustic
 * frames), visual (face per frame; a frame without a face is flagged missing), language (the
 * transcript's words encoded, [CLS] and [SEP] around them). Pure of the clip folder: the
 * caller writes what this returns.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AcousticPreset, ExtractStage } from '#contract/extract';
import { DarError } from '../errors';
import type { MediaContext } from '../media/media-cache';
import { probeStamped } from '../media/probe-media';
import { sourceStamp } from '../media/media-cache';
import { AUDIO_RATE, decodeAudio, decodeFrames, frameSize } from './decode';
import type { Extractors, FaceTracker, TextEncoder } from './extractor-types';
import type { SourceVideo } from './scan';
import type { Transcript } from './transcript';
import { NO_TRANSCRIPT, parseTranscript } from './transcript';

/** Peak below which a track counts as silent (-80 dBFS: dither, not speech). */
export const SILENCE_PEAK = 1e-4;

/** One modality's frames: [t, d] values and [t, 2] spans in seconds. */
export interface Track {
  data: Float32Array;
  t: number;
  d: number;
  spans: Float32Array;
  /** The name of each of the d columns. */
  columns: string[];
}

/** What one video gives. */
export interface ClipFeatures {
  duration: number;
  text: Track;
  audio: Track;
  vision: Track & { missing: Uint8Array };
  transcript: Transcript;
  words: string;
  notes: string[];
}

/** The run-wide things a clip needs. */
export interface ClipContext {
  media: MediaContext;
  extractors: Extractors;
  encoder: TextEncoder;
  /** One tracker for the run (the face model loads once; it re-detects on a cut, so a new video starts afresh). */
  tracker: FaceTracker;
  fps: number;
  preset: AcousticPreset;
  signal?: AbortSignal;
  /** Called as each stage starts. */
  onStage(stage: ExtractStage): void;
  /** Adds wall seconds to a stage's total. */
  time(stage: ExtractStage, seconds: number): void;
}

async function timed<T>(ctx: ClipContext, stage: ExtractStage, work: () => Promise<T>): Promise<T> {
  ctx.onStage(stage);
  const t0 = performance.now();
  try {
    return await work();
  } finally {
    ctx.time(stage, (performance.now() - t0) / 1000);
  }
}

function peak(samples: Float32Array): number {
  let p = 0;
  for (const s of samples) p = Math.max(p, Math.abs(s));
  return p;
}

async function audioTrack(video: SourceVideo, ctx: ClipContext, duration: number): Promise<Track> {
  const samples = await timed(ctx, 'audio', () => decodeAudio(video.file, ctx.media, ctx.signal));
  if (samples.length === 0 || peak(samples) < SILENCE_PEAK) throw new DarError('EXTRACT_SILENT', `${video.name}: the audio is silent (peak below ${SILENCE_PEAK})`);
  const r = await timed(ctx, 'acoustic', async () => ctx.extractors.acoustic.features(samples, AUDIO_RATE, ctx.preset));
  const spans = new Float32Array(2 * r.n);
  for (let i = 0; i < r.n; i++) spans.set([Math.min(i * r.hopSeconds, duration), Math.min((i + 1) * r.hopSeconds, duration)], 2 * i);
  return { data: r.frames, t: r.n, d: r.columns.length, spans, columns: r.columns };
}

async function visionTrack(video: SourceVideo, ctx: ClipContext, probe: Parameters<typeof frameSize>[0], duration: number): Promise<ClipFeatures['vision']> {
  const size = frameSize(probe, video.name);
  const { tracker } = ctx;
  const rows: Float32Array[] = [];
  const present: number[] = [];
  await timed(ctx, 'visual', () =>
    decodeFrames(video.file, ctx.media, { fps: ctx.fps, ...size, duration, signal: ctx.signal }, async (f) => {
      const r = await tracker.frame(f.rgb, size.width, size.height);
      present.push(r.present ? 1 : 0);
      rows.push(r.present ? Float32Array.from(r.values) : new Float32Array(tracker.columns.length));
    }),
  );
  // A video with no face at all is still a clip: its visual track is missing (every frame
  // flagged, so training and the workbench treat it as masked), which is what DAR is built for.
  if (present.length === 0) throw new DarError('EXTRACT_NO_VIDEO', `${video.name}: no frame could be decoded`);
  const d = tracker.columns.length;
  const data = new Float32Array(rows.length * d);
  rows.forEach((r, i) => data.set(r.subarray(0, d), i * d));
  const spans = new Float32Array(2 * rows.length);
  for (let i = 0; i < rows.length; i++) spans.set([i / ctx.fps, Math.min((i + 1) / ctx.fps, Math.max(duration, (i + 1) / ctx.fps))], 2 * i);
  return { data, t: rows.length, d, spans, columns: tracker.columns, missing: Uint8Array.from(present, (p) => 1 - p) };
}

async function readTranscript(video: SourceVideo, duration: number): Promise<Transcript> {
  if (!video.transcript) return NO_TRANSCRIPT;
  const text = await readFile(video.transcript, 'utf8').catch((err: Error) => {
    throw new DarError('EXTRACT_TRANSCRIPT', `${video.transcript}: cannot read (${err.message})`);
  });
  return parseTranscript(text, path.extname(video.transcript), path.basename(video.transcript), duration);
}

async function textTrack(ctx: ClipContext, transcript: Transcript, duration: number): Promise<Track> {
  const { rows, data } = await timed(ctx, 'language', () => ctx.encoder.encode(transcript.words));
  // [CLS] and [SEP] take no time: they sit at the clip's start and end.
  const spans = new Float32Array(2 * rows);
  spans.set([0, 0], 0);
  for (let i = 0; i < transcript.words.length && i + 1 < rows; i++) {
    spans.set([Math.min(transcript.spans[2 * i], duration), Math.min(transcript.spans[2 * i + 1], duration)], 2 * (i + 1));
  }
  spans.set([duration, duration], 2 * (rows - 1));
  return { data, t: rows, d: ctx.encoder.dim, spans, columns: Array.from({ length: ctx.encoder.dim }, (_, i) => `hidden_${i}`) };
}

const TIMING_NOTES: Record<Transcript['timing'], string> = {
  words: '',
  segments: 'word times spread evenly within each subtitle cue',
  uniform: 'plain-text transcript: word times spread evenly over the clip',
  none: 'no transcript: the language track holds only [CLS] and [SEP]',
};

/** Runs every stage on one video; coded errors say why a video cannot be used. */
export async function extractClip(video: SourceVideo, ctx: ClipContext): Promise<ClipFeatures> {
  const probe = await timed(ctx, 'probe', async () => probeStamped(await sourceStamp(video.file), ctx.media));
  if (!probe.video) throw new DarError('EXTRACT_NO_VIDEO', `${video.name}: no video stream`);
  if (!probe.audio) throw new DarError('EXTRACT_NO_AUDIO', `${video.name}: no audio stream`);
  const transcript = await readTranscript(video, probe.duration);
  const audio = await audioTrack(video, ctx, probe.duration);
  const duration = probe.duration > 0 ? probe.duration : audio.t * (audio.spans[1] - audio.spans[0]);
  const vision = await visionTrack(video, ctx, probe, duration);
  const text = await textTrack(ctx, transcript, duration);
  const notes = [TIMING_NOTES[transcript.timing]].filter(Boolean);
  const missing = vision.missing.reduce((s, m) => s + m, 0);
  if (missing === vision.t) notes.push(`no face in any of its ${vision.t} frames: the visual track is missing (every frame flagged)`);
  else if (missing > 0) notes.push(`no face in ${missing} of ${vision.t} frames (flagged missing)`);
  return { duration, text, audio, vision, transcript, words: transcript.words.join(' '), notes };
}
