// Proof that the golden comparison has teeth: each case changes one feature's definition (the
// way a plausible bug would) and the same check that passes for the real code must name the
// feature as failing.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { failingFeatures, featureErrors, readGoldens } from '../../../../testing/engine/extract/acoustic/agreement';
import { testSignal } from '../../../../testing/engine/extract/acoustic/signals';
import type * as Dsp from './dsp';
import type * as Spectral from './spectral';
import type * as Tuning from './tuning';

const goldens = readGoldens();

async function failingWith(mock: () => void, signal = 'speech'): Promise<string[]> {
  vi.resetModules();
  mock();
  const { acousticFeatures } = await import('./index');
  const f = acousticFeatures(testSignal(signal), 22050, 'mmsa-librosa');
  return failingFeatures(featureErrors(f.frames, goldens.matrix(signal, 'mmsa-librosa'), f.columns, f.n));
}

afterEach(() => {
  vi.doUnmock('./spectral');
  vi.doUnmock('./dsp');
  vi.doUnmock('./tuning');
  vi.resetModules();
});

describe('the librosa comparison fails when a definition changes', () => {
  it('passes for the real definitions (the control)', async () => {
    expect(await failingWith(() => undefined)).toEqual([]);
  });

  it('names mfcc when the MFCCs skip the log (power_to_db)', async () => {
    const failing = await failingWith(() =>
      vi.doMock('./dsp', async (orig) => ({ ...(await orig<typeof Dsp>()), powerToDbInPlace: () => undefined })),
    );
    expect(failing).toContain('mfcc');
  });

  it('names spectral_rolloff, and only it, at a roll percent of 0.80 instead of 0.85', async () => {
    const failing = await failingWith(() =>
      vi.doMock('./spectral', async (orig) => {
        const real = await orig<typeof Spectral>();
        return { ...real, rolloff: (s: never, sr: number, n: number) => real.rolloff(s, sr, n, 0.8) };
      }),
    );
    expect(failing).toEqual(['spectral_rolloff']);
  });

  it('names the spectral features when the STFT window is the symmetric Hann, not the periodic one', async () => {
    const failing = await failingWith(() =>
      vi.doMock('./dsp', async (orig) => {
        const real = await orig<typeof Dsp>();
        return { ...real, hann: (n: number, periodic: boolean) => real.hann(n, n === 512 ? !periodic : periodic) };
      }),
    );
    expect(failing).toEqual(expect.arrayContaining(['mfcc', 'spectral_centroid', 'spectral_contrast']));
  });

  it('names the chroma features when tuning estimation is skipped (tuning 0)', async () => {
    const failing = await failingWith(() =>
      vi.doMock('./tuning', async (orig) => ({ ...(await orig<typeof Tuning>()), estimateTuning: () => 0 })),
      'vowel',
    );
    expect(failing).toEqual(expect.arrayContaining(['chroma_stft', 'chroma_cqt']));
  });
});
