/**
 * The real extractors behind `dar extract` and the studio's import: acoustic (extract/acoustic,
 * librosa-compatible TypeScript), visual (extract/visual, @vladmandic/human) and language
 * (extract/language, BERT through ONNX Runtime), adapted to extractor-types.ts.
 */
import { DarError } from '../errors';
import { ACOUSTIC_EXTRACTOR, acousticFeatures } from './acoustic/index';
import type { Extractors } from './extractor-types';
import { createFaceExtractor, VISUAL_EXTRACTOR } from './visual/index';

const pending = (what: string): never => {
  throw new DarError('INTERNAL', `the ${what} extractor is not part of this build yet`);
};

/** The extractors `dar extract` and the studio use. */
export async function defaultExtractors(): Promise<Extractors> {
  return {
    acoustic: {
      stamp: (preset) => ({ id: ACOUSTIC_EXTRACTOR.id, version: ACOUSTIC_EXTRACTOR.version, settings: ACOUSTIC_EXTRACTOR.settings(preset) }),
      features: (samples, rate, preset) => acousticFeatures(samples, rate, preset),
    },
    visual: {
      stamp: (fps) => ({ id: VISUAL_EXTRACTOR.id, version: VISUAL_EXTRACTOR.version, settings: VISUAL_EXTRACTOR.settings({ fps }) }),
      createTracker: (fps) => createFaceExtractor({ fps }),
    },
    language: { stamp: () => pending('language'), createEncoder: async () => pending('language') },
  };
}
