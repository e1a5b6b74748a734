import { describe, expect, it } from 'vitest';
import { ACOUSTIC_COLUMNS, ACOUSTIC_EXTRACTOR, acousticFeatures, type AcousticPreset } from './index';
import { failure } from '../../../../testing/engine/failure';
import { failingFeatures, featureErrors, readGoldens } from '../../../../testing/engine/extract/acoustic/agreement';
import { SIGNAL_NAMES, testSignal } from '../../../../testing/engine/extract/acoustic/signals';

const goldens = readGoldens();
const PRESETS: AcousticPreset[] = ['mmsa-librosa', 'chsims'];

describe('acoustic features against librosa 0.11 (committed goldens)', () => {
  it('regenerates every test signal as the reference script made it', () => {
    for (const name of SIGNAL_NAMES) {
      const y = testSignal(name);
      const fp = goldens.index.signals[name]!.fingerprint;
      let sum = 0, sumSq = 0;
      for (const v of y) {
        sum += v;
        sumSq += v * v;
      }
      expect(y.length, name).toBe(goldens.index.signals[name]!.length);
      expect(sum, name).toBeCloseTo(fp.sum, 3);
      expect(sumSq, name).toBeCloseTo(fp.sumSq, 2);
      expect(y[1000], name).toBeCloseTo(fp.at1000, 6);
    }
  });

  for (const preset of PRESETS) {
    for (const name of SIGNAL_NAMES) {
      it(`agrees per feature within tolerance: ${preset}, ${name}`, () => {
        const f = acousticFeatures(testSignal(name), 22050, preset);
        const shape = goldens.index.signals[name]!.presets[preset]!;
        expect([f.n, f.columns.length]).toEqual([shape.frames, shape.columns]);
        const errors = featureErrors(f.frames, goldens.matrix(name, preset), f.columns, f.n);
        expect(failingFeatures(errors), JSON.stringify(Object.fromEntries(errors))).toEqual([]);
      });
    }
  }
});

describe('acoustic features: shape and contract', () => {
  it("names MMSA-FET's 70 librosa columns in its order, and the 33 CH-SIMS-style ones", () => {
    const mmsa = ACOUSTIC_COLUMNS['mmsa-librosa'];
    expect(mmsa).toHaveLength(70);
    expect([mmsa[0], mmsa[12], mmsa[24], mmsa[36], mmsa[49], mmsa[52], mmsa[59], mmsa[61], mmsa[63], mmsa[69]]).toEqual([
      'chroma_stft_0', 'chroma_cqt_0', 'chroma_cens_0', 'mfcc_0', 'rms', 'spectral_contrast_0', 'spectral_flatness', 'poly_features_0', 'Fifth x-axis', 'zero_crossing_rate',
    ]);
    expect(ACOUSTIC_COLUMNS.chsims).toHaveLength(33);
  });

  it('frames every hop of 128 samples from the first (centred), 1 + floor(n / 128) of them', () => {
    const f = acousticFeatures(new Float32Array(1000).fill(0.1), 22050, 'mmsa-librosa');
    expect(f.n).toBe(8);
    expect(f.frames).toHaveLength(8 * 70);
    expect(f.hopSeconds).toBeCloseTo(128 / 22050, 12);
    expect(f.frames.every(Number.isFinite)).toBe(true);
  });

  it('gives one finite frame for a clip shorter than a hop', () => {
    const f = acousticFeatures(Float32Array.from({ length: 10 }, (_, i) => Math.sin(i)), 22050, 'mmsa-librosa');
    expect(f.n).toBe(1);
    expect(f.frames.every(Number.isFinite)).toBe(true);
  });

  it('states its identity and settings for the manifest', () => {
    expect(ACOUSTIC_EXTRACTOR.id).toBeTruthy();
    expect(ACOUSTIC_EXTRACTOR.settings('mmsa-librosa')).toMatchObject({ sampleRate: 22050, nFft: 512, hopLength: 128 });
    expect(ACOUSTIC_EXTRACTOR.settings('chsims')).toMatchObject({ mfcc: { nMfcc: 20 } });
  });

  it('refuses another sample rate, no samples and non-finite samples with ARG_INVALID', () => {
    expect(failure(() => acousticFeatures(new Float32Array(100), 16000, 'mmsa-librosa')).code).toBe('ARG_INVALID');
    expect(failure(() => acousticFeatures(new Float32Array(0), 22050, 'chsims')).code).toBe('ARG_INVALID');
    expect(failure(() => acousticFeatures(Float32Array.of(0, NaN), 22050, 'chsims')).code).toBe('ARG_INVALID');
  });
});
