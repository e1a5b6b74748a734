import { describe, it, expect } from 'vitest';
import { encodeWav, frameRms, parseWav, trimSilence } from './demo-wav';

function tone(seconds: number, amplitude: number, sampleRate = 22050): Float32Array {
  const out = new Float32Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * 220 * i) / sampleRate);
  return out;
}

describe('demo WAV helpers', () => {
  it('round-trips 16-bit PCM within one quantisation step', () => {
    const samples = tone(0.1, 0.5);
    const back = parseWav(encodeWav({ sampleRate: 22050, samples }), 'x.wav');
    expect(back.sampleRate).toBe(22050);
    expect(back.samples.length).toBe(samples.length);
    for (let i = 0; i < samples.length; i++) expect(Math.abs(back.samples[i] - samples[i])).toBeLessThan(1.5 / 32767);
  });

  it('reads a streaming header whose data size overstates the file (as espeak-ng writes)', () => {
    const bytes = encodeWav({ sampleRate: 16000, samples: tone(0.01, 0.3, 16000) });
    new DataView(bytes.buffer).setUint32(40, 0x7fffffff, true);
    expect(parseWav(bytes, 'stream.wav').samples.length).toBe(160);
  });

  it('rejects what is not 16-bit PCM WAV with MEDIA_FAILED naming the file', () => {
    expect(() => parseWav(new Uint8Array(20), 'bad.wav')).toThrow(/bad\.wav: not a RIFF\/WAVE file/);
  });

  it('measures per-frame RMS: a sine of amplitude A gives A/sqrt(2), silence 0', () => {
    const samples = new Float32Array(22050);
    samples.set(tone(0.5, 0.4), 0);
    const rms = frameRms({ sampleRate: 22050, samples }, new Float32Array([0, 0.25, 0.25, 0.5, 0.6, 1]));
    expect(rms[0]).toBeCloseTo(0.4 / Math.SQRT2, 2);
    expect(rms[1]).toBeCloseTo(0.4 / Math.SQRT2, 2);
    expect(rms[2]).toBe(0);
  });

  it('trims leading and trailing silence but keeps a short margin', () => {
    const samples = new Float32Array(22050);
    samples.set(tone(0.2, 0.5), 11025);
    const trimmed = trimSilence({ sampleRate: 22050, samples });
    expect(trimmed.length).toBeGreaterThan(0.2 * 22050);
    expect(trimmed.length).toBeLessThan(0.2 * 22050 + 0.03 * 22050);
  });
});
