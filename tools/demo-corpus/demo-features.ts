/**
 * Feature frames of one demo clip from its latent factors and its timeline (see demo-model.ts).
 *
 * Each frame is `gate * (A_c c + A_m z_m) + N n + noise`: a fixed projection of the shared and
 * the modality's own factor, present only in the frames whose gate is on (a random subset, so
 * masking frames removes the signal gradually), plus per-frame nuisance through a fixed random
 * loading and white noise. Text frames add the word's embedding ([CLS]/[SEP] are fixed
 * vectors at 0 and len-1); acoustic dim 0 is the frame's RMS energy, which follows the
 * acoustic driver (and, for clips with media, is measured on the synthesised speech).
 */
import type { PerModality } from '#contract/dataset';
import { DarError } from '../../src-main/engine/errors';
import type { Rng } from '../../src-main/engine/rng';
import { DEMO_DIMS, DEMO_RATES, NUISANCE_DIMS, acousticDriver, visualDriver } from './demo-model';
import type { ClipLatents, VideoTraits } from './demo-model';
import type { DemoProjections, ModalityProjection } from './demo-projections';

/** One spoken word and when it is said, in seconds. */
export interface WordTiming {
  word: string;
  start: number;
  end: number;
}

/** When things happen in a clip. */
export interface ClipTimeline {
  duration: number;
  words: WordTiming[];
}

/** What the demo video of a clip draws, per visual frame. */
export interface ClipLook {
  smile: Float32Array;
  poseX: Float32Array;
  poseY: Float32Array;
  light: Float32Array;
}

/** One clip's feature matrices ([T_m, d_m] row-major, valid frames only) and frame spans. */
export interface ClipFeatures {
  l: Float32Array;
  a: Float32Array;
  v: Float32Array;
  lengths: PerModality<number>;
  /** [T_m, 2] start/end seconds. */
  spans: PerModality<Float32Array>;
  /** Per acoustic frame RMS energy (= acoustic feature 0). */
  energy: Float32Array;
  look: ClipLook;
}

/** Signal size (norm of a unit factor's frame vector) and per-dim white noise per modality. */
const SIGNAL = { l: 3.5, a: 0.16, v: 0.24 } as const;
const NOISE = { l: 1, a: 0.9, v: 1.0 } as const;
/** Share of word tokens that carry the sentence's factors (contextual embedding). */
const TEXT_GATE = 0.6;
/** Mean on/off run lengths of the acoustic and visual gates, in seconds. */
const RUN_ON = 0.6;
const RUN_OFF = 0.5;
/** Per-frame autocorrelation of the acoustic and visual nuisance. */
const NUISANCE_RHO = { a: 0.9, v: 0.95 } as const;
/** Voiced-frame RMS scale, matched to espeak-ng at amplitude 100. */
const VOICED_RMS = 0.13;

/** Random streams a clip's features draw from, one per modality so they do not interact. */
export type FeatureRngs = PerModality<Rng>;

/** Evenly spread frame spans over [0, duration]. */
export function evenSpans(n: number, duration: number): Float32Array {
  const spans = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    spans[2 * i] = (i * duration) / n;
    spans[2 * i + 1] = ((i + 1) * duration) / n;
  }
  return spans;
}

/** Frames of a modality sampled at `rate` over the duration (at least one). */
export function frameCount(duration: number, rate: number): number {
  return Math.max(1, Math.round(duration * rate));
}

/** Writes gate * (c, z_m) through the projection plus nuisance and noise into frame `row`. */
function writeFrame(out: Float32Array, row: number, d: number, p: ModalityProjection, sig: [number, number], nuis: ArrayLike<number>, rng: Rng, noise: number): void {
  const k = nuis.length;
  for (let i = 0; i < p.width; i++) {
    let x = sig[0] * p.shared[i] + sig[1] * p.specific[i] + noise * rng.normal();
    for (let j = 0; j < k; j++) x += p.nuisance[i * k + j] * nuis[j];
    out[row * d + p.offset + i] += x;
  }
}

/** A two-state Markov gate with mean runs RUN_ON/RUN_OFF, softened over a few frames. */
function runGate(rng: Rng, n: number, rate: number): Float32Array {
  const pOff = 1 / (RUN_ON * rate);
  const pOn = 1 / (RUN_OFF * rate);
  let on = rng.next() < RUN_ON / (RUN_ON + RUN_OFF);
  let level = on ? 1 : 0;
  const gate = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (rng.next() < (on ? pOff : pOn)) on = !on;
    level += 0.35 * ((on ? 1 : 0) - level);
    gate[i] = level;
  }
  return gate;
}

function textFeatures(proj: DemoProjections, z: ClipLatents, words: WordTiming[], rng: Rng): Float32Array {
  const d = DEMO_DIMS.l;
  const n = words.length + 2;
  const out = new Float32Array(n * d);
  out.set(proj.cls, 0);
  out.set(proj.sep, (n - 1) * d);
  const gates = words.map(() => (rng.next() < TEXT_GATE ? 1 : 0));
  if (!gates.includes(1)) gates[rng.int(gates.length)] = 1;
  const nuis = new Float64Array(NUISANCE_DIMS.l);
  words.forEach((w, j) => {
    out.set(proj.word(w.word), (j + 1) * d);
    for (let k = 0; k < nuis.length; k++) nuis[k] = rng.normal();
    const g = gates[j] * SIGNAL.l;
    writeFrame(out, j + 1, d, proj.modality.l, [g * z.c, g * z.l], nuis, rng, NOISE.l);
  });
  return out;
}

/** AR(1) nuisance around the speaker's offset: slow changes of timbre, pose or light. */
function arNuisance(rng: Rng, n: number, rho: number, offset: Float64Array): Float64Array {
  const k = offset.length;
  const out = new Float64Array(n * k);
  const state = new Float64Array(k);
  for (let j = 0; j < k; j++) state[j] = rng.normal();
  const innovation = Math.sqrt(1 - rho * rho);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      if (i > 0) state[j] = rho * state[j] + innovation * rng.normal();
      out[i * k + j] = offset[j] + state[j];
    }
  }
  return out;
}

/** Synthetic RMS energy: syllable-like bursts inside words, silence between, louder when aroused. */
function syntheticEnergy(z: ClipLatents, words: WordTiming[], spans: Float32Array, rng: Rng): Float32Array {
  const n = spans.length / 2;
  const gain = VOICED_RMS * Math.exp(0.35 * acousticDriver(z));
  const syllable = 0.18 + 0.06 * rng.next();
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = 0.5 * (spans[2 * i] + spans[2 * i + 1]);
    const w = words.find((x) => t >= x.start && t < x.end);
    const jitter = 0.85 + 0.3 * rng.next();
    if (w) out[i] = gain * jitter * (0.25 + 0.75 * Math.sin((Math.PI * (t - w.start)) / syllable) ** 2);
  }
  return out;
}

function acousticFeatures(proj: DemoProjections, z: ClipLatents, traits: VideoTraits, timeline: ClipTimeline, rng: Rng, measured?: Float32Array): { a: Float32Array; spans: Float32Array; energy: Float32Array } {
  const d = DEMO_DIMS.a;
  const n = frameCount(timeline.duration, DEMO_RATES.a);
  const spans = evenSpans(n, timeline.duration);
  // Drawn even when measured energy replaces it, so the other dims stay the same draws.
  const synthetic = syntheticEnergy(z, timeline.words, spans, rng);
  if (measured && measured.length !== n) {
    throw new DarError('INTERNAL', `demo clip: measured energy has ${measured.length} frames, expected ${n}`);
  }
  const energy = measured ?? synthetic;
  const gate = runGate(rng, n, DEMO_RATES.a);
  const nuis = arNuisance(rng, n, NUISANCE_RHO.a, traits.speaker.a);
  const k = NUISANCE_DIMS.a;
  const a = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    a[i * d] = energy[i];
    const g = gate[i] * SIGNAL.a;
    writeFrame(a, i, d, proj.modality.a, [g * z.c, g * z.a], nuis.subarray(i * k, i * k + k), rng, NOISE.a);
  }
  return { a, spans, energy };
}

function visualFeatures(proj: DemoProjections, z: ClipLatents, traits: VideoTraits, duration: number, rng: Rng): { v: Float32Array; spans: Float32Array; look: ClipLook } {
  const d = DEMO_DIMS.v;
  const n = frameCount(duration, DEMO_RATES.v);
  const gate = runGate(rng, n, DEMO_RATES.v);
  const nuis = arNuisance(rng, n, NUISANCE_RHO.v, traits.speaker.v);
  const k = NUISANCE_DIMS.v;
  const v = new Float32Array(n * d);
  const look: ClipLook = { smile: new Float32Array(n), poseX: new Float32Array(n), poseY: new Float32Array(n), light: new Float32Array(n) };
  const expression = visualDriver(z);
  for (let i = 0; i < n; i++) {
    const g = gate[i] * SIGNAL.v;
    writeFrame(v, i, d, proj.modality.v, [g * z.c, g * z.v], nuis.subarray(i * k, i * k + k), rng, NOISE.v);
    look.smile[i] = gate[i] * expression;
    look.poseX[i] = nuis[i * k];
    look.poseY[i] = nuis[i * k + 1];
    look.light[i] = nuis[i * k + 2];
  }
  return { v, spans: evenSpans(n, duration), look };
}

/** Word times as token spans; [CLS] and [SEP] are zero-length spans at the clip's two ends. */
function textSpans(timeline: ClipTimeline): Float32Array {
  const { words, duration } = timeline;
  const spans = new Float32Array(2 * (words.length + 2));
  words.forEach((w, j) => {
    spans[2 * (j + 1)] = w.start;
    spans[2 * (j + 1) + 1] = w.end;
  });
  spans[spans.length - 2] = duration;
  spans[spans.length - 1] = duration;
  return spans;
}

/**
 * All features of one clip. `measuredEnergy` (per acoustic frame) replaces the synthetic
 * energy when the clip has real synthesised speech; everything else is the same draws.
 */
export function synthesiseClipFeatures(proj: DemoProjections, z: ClipLatents, traits: VideoTraits, timeline: ClipTimeline, rngs: FeatureRngs, measuredEnergy?: Float32Array): ClipFeatures {
  const l = textFeatures(proj, z, timeline.words, rngs.l);
  const acoustic = acousticFeatures(proj, z, traits, timeline, rngs.a, measuredEnergy);
  const visual = visualFeatures(proj, z, traits, timeline.duration, rngs.v);
  return {
    l,
    a: acoustic.a,
    v: visual.v,
    lengths: { l: timeline.words.length + 2, a: acoustic.spans.length / 2, v: visual.spans.length / 2 },
    spans: { l: textSpans(timeline), a: acoustic.spans, v: visual.spans },
    energy: acoustic.energy,
    look: visual.look,
  };
}
