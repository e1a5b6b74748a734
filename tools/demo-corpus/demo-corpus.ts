/**
 * The embedded demo corpus: a small, SYNTHETIC dataset shaped like CMU-MOSI's unaligned files
 * (dims l/a/v = 768/5/20, padded lengths 50/375/500), generated deterministically from a seed.
 *
 * Why it looks the way it does: the studio needs a dataset on which the DAR model has
 * something to decouple and reconstruct. So each clip's sentiment is built from a factor
 * shared by all three modalities plus one factor per modality (demo-model.ts); every modality
 * sees the shared factor and its own (demo-features.ts), so what a missing modality carried is
 * partly (the shared part), never wholly, recoverable from the other two. Transcripts come from
 * a template grammar whose wording follows the language's view of the sentiment
 * (demo-transcript.ts); durations are 2-8 s with about 2.5 words, 25 acoustic and 30 visual
 * frames per second. Clips are grouped into videos (speakers) and split by video, as MOSI is.
 * A few clips also get a video with synthesised speech (demo-media.ts); their timing and
 * acoustic energy then come from that speech.
 */
import type { SplitName } from '#contract/dataset';
import { DarError } from '../../src-main/engine/errors';
import { createRng } from '../../src-main/engine/rng';
import type { Rng } from '../../src-main/engine/rng';
import { synthesiseClipFeatures } from './demo-features';
import type { ClipFeatures, ClipTimeline, FeatureRngs, WordTiming } from './demo-features';
import { DEMO_RATES, FACTOR_WEIGHTS, drawClipLatents, drawVideoTraits } from './demo-model';
import type { ClipLatents, VideoTraits } from './demo-model';
import { DEMO_STREAMS, makeDemoProjections } from './demo-projections';
import type { DemoProjections } from './demo-projections';
import { makeTranscript } from './demo-transcript';

/** Sizes and seed of a demo corpus. */
export interface DemoCorpusOptions {
  seed: number;
  nTrain: number;
  nValid: number;
  nTest: number;
}

/** One generated clip, in memory. */
export interface DemoClip {
  split: SplitName;
  /** Position within its split (the clip's random streams hang off it). */
  index: number;
  videoId: string;
  clipId: string;
  text: string;
  latents: ClipLatents;
  traits: VideoTraits;
  timeline: ClipTimeline;
  features: ClipFeatures;
  /** True for the few clips that get a demo video. */
  withVideo: boolean;
}

/** A generated corpus: its clips in split order and the projections that made them. */
export interface DemoCorpus {
  options: DemoCorpusOptions;
  projections: DemoProjections;
  clips: DemoClip[];
}

/** The committed corpus: 160/40/40 clips from seed 20240607. */
export const DEMO_DEFAULTS: DemoCorpusOptions = { seed: 20240607, nTrain: 160, nValid: 40, nTest: 40 };

const SPLITS: readonly SplitName[] = ['train', 'valid', 'test'];
const SPLIT_INDEX: Record<SplitName, number> = { train: 0, valid: 1, test: 2 };
/** Clips per video (speaker): 3..8. */
const CLIPS_PER_VIDEO = { min: 3, span: 6 } as const;
const DURATION = { min: 2, max: 8 } as const;
/**
 * Labels the clips with video should be near, per split: a spread from clearly negative to
 * clearly positive, most of them in test where the studio explains predictions.
 */
const VIDEO_TARGETS: Record<SplitName, number[]> = { train: [-1.7, 1.7], valid: [-2.3, 1], test: [-2.7, -1, 0, 2.3] };
/** Word counts that synthesised speech turns into 3-6 s videos. */
const VIDEO_WORDS = { min: 5, max: 11 } as const;

/** A clip's own random stream for one purpose (a DEMO_STREAMS id). */
export function clipRng(seed: number, stream: number, clip: Pick<DemoClip, 'split' | 'index'>, ...more: number[]): Rng {
  return createRng(seed, stream, SPLIT_INDEX[clip.split], clip.index, ...more);
}

/** The random streams of one clip's features (the media step redraws the same ones). */
export function featureRngs(seed: number, split: SplitName, index: number): FeatureRngs {
  const at = (m: number): Rng => clipRng(seed, DEMO_STREAMS.features, { split, index }, m);
  return { l: at(0), a: at(1), v: at(2) };
}

/** Word times spread over the clip like speech: lead-in, words by length with short pauses, tail. */
export function layoutWords(rng: Rng, words: string[], duration: number): WordTiming[] {
  const lead = 0.1 + 0.3 * rng.next();
  const tail = 0.1 + 0.3 * rng.next();
  const lengths = words.map((w) => (0.12 + 0.055 * w.length) * (0.8 + 0.4 * rng.next()));
  const gaps = words.map((_, k) => (k === 0 ? 0 : 0.04 + 0.12 * rng.next()));
  const total = lengths.reduce((s, x) => s + x, 0) + gaps.reduce((s, x) => s + x, 0);
  const scale = (duration - lead - tail) / total;
  let t = lead;
  return words.map((word, k) => {
    t += gaps[k] * scale;
    const start = t;
    t += lengths[k] * scale;
    return { word, start, end: t };
  });
}

function makeClip(seed: number, projections: DemoProjections, split: SplitName, index: number, traits: VideoTraits, ids: [string, string]): DemoClip {
  const rng = clipRng(seed, DEMO_STREAMS.clip, { split, index });
  const latents = drawClipLatents(rng, traits);
  const planned = DURATION.min + (DURATION.max - DURATION.min) * rng.next();
  const plannedWords = Math.max(3, Math.round(DEMO_RATES.words * planned));
  const words = makeTranscript(rng, latents.textScore, plannedWords);
  const stretched = Math.min(DURATION.max, Math.max(DURATION.min, (planned * words.length) / plannedWords));
  // Whole visual frames, so a demo video of the clip has exactly the features' frames; float32
  // because that is what the feature file stores (a rebuild from the file must match).
  const duration = Math.fround(Math.round(stretched * DEMO_RATES.v) / DEMO_RATES.v);
  const timeline = { duration, words: layoutWords(rng, words, duration) };
  const features = synthesiseClipFeatures(projections, latents, traits, timeline, featureRngs(seed, split, index));
  const [videoId, clipId] = ids;
  return { split, index, videoId, clipId, text: words.join(' '), latents, traits, timeline, features, withVideo: false };
}

function makeSplit(seed: number, projections: DemoProjections, split: SplitName, n: number, firstVideo: number): DemoClip[] {
  const clips: DemoClip[] = [];
  for (let video = 0; clips.length < n; video++) {
    const rng = createRng(seed, DEMO_STREAMS.video, SPLIT_INDEX[split], video);
    const traits = drawVideoTraits(rng);
    const size = Math.min(n - clips.length, CLIPS_PER_VIDEO.min + rng.int(CLIPS_PER_VIDEO.span));
    const videoId = `synth_${String(firstVideo + video + 1).padStart(3, '0')}`;
    for (let k = 0; k < size; k++) {
      clips.push(makeClip(seed, projections, split, clips.length, traits, [videoId, String(k + 1)]));
    }
  }
  return clips;
}

/** How far each modality's own view of the sentiment (shared plus its factor) is from the label. */
function disagreement(z: ClipLatents): number {
  const W = FACTOR_WEIGHTS;
  return Math.abs(W.c * z.c + W.l * z.l - z.label) + Math.abs(W.c * z.c + W.a * z.a - z.label) + Math.abs(W.c * z.c + W.v * z.v - z.label);
}

/**
 * Marks, per split, the clip nearest to each video target label among those of speakable
 * length, preferring clips whose words, voice and face agree with their label: a viewer
 * checks the demo videos against their labels first.
 */
function chooseVideoClips(clips: DemoClip[]): void {
  const cost = (c: DemoClip, target: number): number => Math.abs(c.latents.label - target) + 0.3 * disagreement(c.latents);
  for (const split of SPLITS) {
    for (const target of VIDEO_TARGETS[split]) {
      let best: DemoClip | undefined;
      for (const c of clips) {
        const n = c.timeline.words.length;
        if (c.split !== split || c.withVideo || n < VIDEO_WORDS.min || n > VIDEO_WORDS.max) continue;
        if (!best || cost(c, target) < cost(best, target)) best = c;
      }
      if (best) best.withVideo = true;
    }
  }
}

function checkOptions(o: DemoCorpusOptions): void {
  for (const key of ['nTrain', 'nValid', 'nTest'] as const) {
    if (!Number.isInteger(o[key]) || o[key] < 1) throw new DarError('ARG_INVALID', `demo corpus: ${key} must be a positive integer, got ${o[key]}`);
  }
  if (!Number.isSafeInteger(o.seed)) throw new DarError('ARG_INVALID', `demo corpus: seed must be a safe integer, got ${o.seed}`);
}

/** Generates the numeric demo corpus in memory; equal options give identical clips. */
export function generateDemoCorpus(options: DemoCorpusOptions): DemoCorpus {
  checkOptions(options);
  const projections = makeDemoProjections(options.seed);
  const sizes: Record<SplitName, number> = { train: options.nTrain, valid: options.nValid, test: options.nTest };
  const clips: DemoClip[] = [];
  let videos = 0;
  for (const split of SPLITS) {
    const part = makeSplit(options.seed, projections, split, sizes[split], videos);
    videos += new Set(part.map((c) => c.videoId)).size;
    clips.push(...part);
  }
  chooseVideoClips(clips);
  return { options, projections, clips };
}

/**
 * The clip re-timed to its synthesised speech: new word times and duration, and the acoustic
 * energy measured on the speech; all other draws stay those of the numeric clip.
 */
export function retimeClip(corpus: DemoCorpus, clip: DemoClip, timeline: ClipTimeline, energy: Float32Array): DemoClip {
  const { seed } = corpus.options;
  const rngs = featureRngs(seed, clip.split, clip.index);
  const features = synthesiseClipFeatures(corpus.projections, clip.latents, clip.traits, timeline, rngs, energy);
  return { ...clip, timeline, features };
}
