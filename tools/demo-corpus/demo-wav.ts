/**
 * Just enough WAV for the demo corpus's synthesised speech: read espeak-ng's 16-bit PCM output,
 * trim its silences, write the assembled track, and measure per-frame RMS energy.
 */
import { DarError } from '../../src-main/engine/errors';

/** Mono audio as floats in [-1, 1]. */
export interface MonoAudio {
  sampleRate: number;
  samples: Float32Array;
}

/** Parses a 16-bit PCM WAV (mono, or the first channel of several); `name` labels errors. */
export function parseWav(bytes: Uint8Array, name: string): MonoAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number): string => String.fromCharCode(...bytes.subarray(at, at + 4));
  const bad = (why: string): DarError => new DarError('MEDIA_FAILED', `${name}: ${why}`);
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw bad('not a RIFF/WAVE file');
  let format: { channels: number; sampleRate: number; bits: number } | undefined;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = tag(at);
    // espeak-ng writes a streaming header whose data size may be 0 or too big: clamp it.
    const size = Math.min(view.getUint32(at + 4, true), bytes.length - at - 8);
    if (id === 'fmt ') {
      if (view.getUint16(at + 8, true) !== 1) throw bad('not PCM');
      format = { channels: view.getUint16(at + 10, true), sampleRate: view.getUint32(at + 12, true), bits: view.getUint16(at + 22, true) };
    } else if (id === 'data') {
      if (!format || format.bits !== 16) throw bad(`expected 16-bit PCM before the data, got ${format?.bits ?? 'no format'}`);
      const frames = Math.floor(size / (2 * format.channels));
      const samples = new Float32Array(frames);
      for (let i = 0; i < frames; i++) samples[i] = view.getInt16(at + 8 + 2 * i * format.channels, true) / 32768;
      return { sampleRate: format.sampleRate, samples };
    }
    at += 8 + size + (size % 2);
  }
  throw bad('no data chunk');
}

/** Encodes mono floats as a 16-bit PCM WAV. */
export function encodeWav(audio: MonoAudio): Uint8Array {
  const n = audio.samples.length;
  const out = new Uint8Array(44 + 2 * n);
  const view = new DataView(out.buffer);
  const put = (at: number, s: string): void => [...s].forEach((c, i) => (out[at + i] = c.charCodeAt(0)));
  put(0, 'RIFF');
  view.setUint32(4, 36 + 2 * n, true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, audio.sampleRate, true);
  view.setUint32(28, 2 * audio.sampleRate, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  put(36, 'data');
  view.setUint32(40, 2 * n, true);
  for (let i = 0; i < n; i++) {
    const s = Math.max(-1, Math.min(1, audio.samples[i]));
    view.setInt16(44 + 2 * i, Math.round(s * 32767), true);
  }
  return out;
}

/** The samples between the first and last one louder than `threshold`, with a short margin. */
export function trimSilence(audio: MonoAudio, threshold = 0.01, marginSeconds = 0.01): Float32Array {
  const { samples } = audio;
  let first = 0;
  while (first < samples.length && Math.abs(samples[first]) < threshold) first++;
  let last = samples.length - 1;
  while (last > first && Math.abs(samples[last]) < threshold) last--;
  if (first >= samples.length) return new Float32Array(0);
  const margin = Math.round(marginSeconds * audio.sampleRate);
  return samples.slice(Math.max(0, first - margin), Math.min(samples.length, last + 1 + margin));
}

/** RMS energy of the samples under each [start, end) span (seconds), spans given as [T, 2]. */
export function frameRms(audio: MonoAudio, spans: Float32Array): Float32Array {
  const n = spans.length / 2;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const from = Math.max(0, Math.round(spans[2 * i] * audio.sampleRate));
    const to = Math.min(audio.samples.length, Math.round(spans[2 * i + 1] * audio.sampleRate));
    let sum = 0;
    for (let k = from; k < to; k++) sum += audio.samples[k] * audio.samples[k];
    out[i] = to > from ? Math.sqrt(sum / (to - from)) : 0;
  }
  return out;
}
