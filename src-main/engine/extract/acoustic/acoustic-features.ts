// Frame-level acoustic features that match librosa's, in pure TypeScript (no node: imports, so
// it runs in a worker, a page or the CLI). Two presets:
//   'mmsa-librosa': MMSA-FET's `librosa` configuration, 70 columns in its order;
//   'chsims':       a CH-SIMS-style 33 columns (20 MFCC, 12 CQT chroma, zero-crossing rate).
// Both: 22,050 Hz mono, n_fft 512, hop 128 (MMSA-FET's defaults), centred frames.
import { DarError } from '../../errors';
import { cqtChroma } from './cqt';
import { chromaCens, chromaCqt, chromaStft, tonnetz } from './chroma';
import { frameCount, hann } from './dsp';
import { mfcc } from './mfcc';
import { centroidBandwidth, contrast, flatness, polyFeatures, rms, rolloff, zeroCrossingRate } from './spectral';
import { spectrogram } from './stft';
import { estimateTuning } from './tuning';

/** Which column set to extract. */
export type AcousticPreset = 'mmsa-librosa' | 'chsims';

/** A clip's features: `frames` is row-major [n, columns.length]. */
export interface AcousticFeatures {
  columns: string[];
  frames: Float32Array;
  n: number;
  hopSeconds: number;
  sampleRate: number;
}

const SR = 22050;
const N_FFT = 512;
const HOP = 128;
const C1 = 440 * 2 ** ((24 - 69) / 12);

const indexed = (name: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${name}_${i}`);
const TONNETZ = ['Fifth x-axis', 'Fifth y-axis', 'Minor x-axis', 'Minor y-axis', 'Major x-axis', 'Major y-axis'];

/** Column names per preset, as MMSA-FET's librosa extractor names them. */
export const ACOUSTIC_COLUMNS: Record<AcousticPreset, readonly string[]> = {
  'mmsa-librosa': [
    ...indexed('chroma_stft', 12), ...indexed('chroma_cqt', 12), ...indexed('chroma_cens', 12), ...indexed('mfcc', 13),
    'rms', 'spectral_centroid', 'spectral_bandwidth', ...indexed('spectral_contrast', 7), 'spectral_flatness',
    'spectral_rolloff', ...indexed('poly_features', 2), ...TONNETZ, 'zero_crossing_rate',
  ],
  chsims: [...indexed('mfcc', 20), ...indexed('chroma_cqt', 12), 'zero_crossing_rate'],
};

/** The extractor's identity and settings, for the clip-folder manifest. */
export const ACOUSTIC_EXTRACTOR = {
  id: 'dar-acoustic-librosa',
  version: '1.0.0',
  settings(preset: AcousticPreset): Record<string, unknown> {
    // cqtResampler: librosa halves the rate with soxr HQ; ours is a 35-tap Kaiser half-band (docs/extraction.md).
    const common = { preset, reference: 'librosa 0.11.0', sampleRate: SR, nFft: N_FFT, hopLength: HOP, center: true, window: 'hann', cqtResampler: 'kaiser-halfband-35' };
    return preset === 'chsims'
      ? { ...common, mfcc: { nMfcc: 20, htk: false, nMels: 128 }, chromaCqt: { binsPerOctave: 36, octaves: 7, fmin: 'C1' }, zeroCrossingRate: { frameLength: N_FFT } }
      : { ...common, features: 'MMSA-FET librosa.json', mfcc: { nMfcc: 13, htk: true, nMels: 128 }, chroma: { binsPerOctave: 36, octaves: 7, fmin: 'C1' } };
  },
};

/** Features of `samples` (mono, at `sampleRate`, which must be 22,050 Hz) for a preset. */
export function acousticFeatures(samples: Float32Array, sampleRate: number, preset: AcousticPreset): AcousticFeatures {
  if (sampleRate !== SR) throw new DarError('ARG_INVALID', `acoustic features need ${SR} Hz audio, got ${sampleRate} Hz`);
  if (!(preset in ACOUSTIC_COLUMNS)) throw new DarError('ARG_INVALID', `unknown acoustic preset '${String(preset)}'`);
  if (samples.length === 0) throw new DarError('ARG_INVALID', 'no audio samples to extract features from');
  for (const v of samples) if (!Number.isFinite(v)) throw new DarError('ARG_INVALID', 'audio samples must be finite');
  const blocks = preset === 'chsims' ? chsimsBlocks(samples) : mmsaBlocks(samples);
  return assemble(blocks, ACOUSTIC_COLUMNS[preset], frameCount(samples.length, HOP));
}

/** A feature block: `width` columns per frame, row-major. */
interface Block {
  width: number;
  data: Float64Array;
}

function foldedCqtChroma(y: Float32Array): { folded: Float64Array; frames: number } {
  const tuning = estimateTuning(spectrogram(y, 2048, 512, hann(2048, true)), SR, 2048, 36, 1);
  const c = cqtChroma(y, { sr: SR, hop: HOP, fmin: C1 * 2 ** (tuning / 36), octaves: 7, binsPerOctave: 36 });
  return { folded: c.data, frames: c.frames };
}

function mmsaBlocks(y: Float32Array): Block[] {
  const mag = spectrogram(y, N_FFT, HOP, hann(N_FFT, true));
  const { folded, frames } = foldedCqtChroma(y);
  const chroma = chromaCqt(folded);
  const { centroid, bandwidth } = centroidBandwidth(mag, SR, N_FFT);
  return [
    { width: 12, data: chromaStft(mag, SR, N_FFT, estimateTuning(mag, SR, N_FFT, 12, 2)) },
    { width: 12, data: chroma },
    { width: 12, data: chromaCens(folded, frames) },
    { width: 13, data: mfcc(mag, SR, N_FFT, 13, true) },
    { width: 1, data: rms(y, N_FFT, HOP, mag.frames) },
    { width: 1, data: centroid },
    { width: 1, data: bandwidth },
    { width: 7, data: contrast(mag, SR, N_FFT) },
    { width: 1, data: flatness(mag) },
    { width: 1, data: rolloff(mag, SR, N_FFT, 0.85) },
    { width: 2, data: polyFeatures(mag, SR, N_FFT) },
    { width: 6, data: tonnetz(chroma, frames) },
    { width: 1, data: zeroCrossingRate(y, N_FFT, HOP, mag.frames) },
  ];
}

function chsimsBlocks(y: Float32Array): Block[] {
  const mag = spectrogram(y, N_FFT, HOP, hann(N_FFT, true));
  const { folded } = foldedCqtChroma(y);
  return [
    { width: 20, data: mfcc(mag, SR, N_FFT, 20, false) },
    { width: 12, data: chromaCqt(folded) },
    { width: 1, data: zeroCrossingRate(y, N_FFT, HOP, mag.frames) },
  ];
}

/** Interleaves the blocks into one [n, columns] float32 matrix (a block short of n frames is zero-filled). */
function assemble(blocks: Block[], columns: readonly string[], n: number): AcousticFeatures {
  const width = columns.length;
  const frames = new Float32Array(n * width);
  let col = 0;
  for (const b of blocks) {
    const rows = Math.min(n, b.data.length / b.width);
    for (let t = 0; t < rows; t++) for (let j = 0; j < b.width; j++) frames[t * width + col + j] = b.data[t * b.width + j]!;
    col += b.width;
  }
  return { columns: [...columns], frames, n, hopSeconds: HOP / SR, sampleRate: SR };
}
