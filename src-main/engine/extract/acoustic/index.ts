// The acoustic extractor's public face (see acoustic-features.ts).
export { ACOUSTIC_COLUMNS, ACOUSTIC_EXTRACTOR, acousticFeatures } from './acoustic-features';
export type { AcousticFeatures, AcousticPreset } from './acoustic-features';
