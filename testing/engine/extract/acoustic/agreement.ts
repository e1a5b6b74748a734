// How the TypeScript acoustic features are held to librosa's: per feature (a group of columns),
// the largest absolute difference over every frame and column, against a tolerance in the
// feature's own units. docs/extraction.md ("Acoustic") tabulates these with the agreement
// measured on the goldens; a test fails when any feature drifts past its tolerance.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GOLDENS_DIR } from './signals';

/** Tolerance per feature, in its units (max |ours - librosa| over frames and columns). */
export const TOLERANCES: Record<string, number> = {
  chroma_stft: 1e-4,
  chroma_cqt: 1.5e-2,
  chroma_cens: 5e-2,
  mfcc: 2e-3,
  rms: 1e-6,
  spectral_centroid: 1e-2,
  spectral_bandwidth: 1e-2,
  spectral_contrast: 1e-3,
  spectral_flatness: 1e-5,
  spectral_rolloff: 1e-2,
  poly_features: 1e-5,
  tonnetz: 1.5e-2,
  zero_crossing_rate: 1e-6,
};

/** The feature a column belongs to (MMSA-FET's names: mfcc_3 -> mfcc, 'Fifth x-axis' -> tonnetz). */
export function featureOf(column: string): string {
  if (/-axis$/.test(column)) return 'tonnetz';
  return column.replace(/_\d+$/, '');
}

/** Max |ours - golden| per feature over the first `n` frames of two [n, columns] matrices. */
export function featureErrors(ours: Float32Array, golden: Float32Array, columns: readonly string[], n: number): Map<string, number> {
  const errors = new Map<string, number>();
  columns.forEach((c, j) => {
    let worst = errors.get(featureOf(c)) ?? 0;
    for (let t = 0; t < n; t++) {
      const d = Math.abs(ours[t * columns.length + j]! - golden[t * columns.length + j]!);
      // NaN on either side is a failure, not a pass.
      worst = Number.isNaN(d) ? Infinity : Math.max(worst, d);
    }
    errors.set(featureOf(c), worst);
  });
  return errors;
}

/** The features whose error exceeds their tolerance. */
export function failingFeatures(errors: Map<string, number>): string[] {
  return [...errors].filter(([f, e]) => !(e <= (TOLERANCES[f] ?? 0))).map(([f]) => f);
}

/** goldens.json: per signal its length, fingerprint, librosa's tuning estimates and preset shapes. */
export interface GoldenIndex {
  librosa: string;
  signals: Record<string, {
    length: number;
    fingerprint: { sum: number; sumSq: number; at1000: number };
    tuning: { stft12: number; cqt36: number };
    presets: Record<string, { frames: number; columns: number }>;
  }>;
}

/** The index and one golden matrix from a goldens folder (the committed one by default). */
export function readGoldens(dir = GOLDENS_DIR): { index: GoldenIndex; matrix(signal: string, preset: string): Float32Array } {
  const index = JSON.parse(readFileSync(join(dir, 'goldens.json'), 'utf8')) as GoldenIndex;
  return {
    index,
    matrix(signal, preset) {
      const raw = readFileSync(join(dir, `${signal}.${preset}.f32`));
      return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    },
  };
}
