/**
 * The real extractors behind `dar extract` and the studio's import: acoustic (extract/acoustic,
 * librosa-compatible TypeScript), visual (extract/visual, @vladmandic/human) and language
 * (extract/language, BERT through ONNX Runtime), adapted to extractor-types.ts.
 */
import { ACOUSTIC_EXTRACTOR, acousticFeatures } from './acoustic/index';
import type { Extractors } from './extractor-types';
import { createTextEncoder, LANGUAGE_EXTRACTOR } from './language/index';
import { createFaceExtractor, VISUAL_EXTRACTOR } from './visual/index';

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
    language: {
      stamp: (modelDir) => ({ id: LANGUAGE_EXTRACTOR.id, version: LANGUAGE_EXTRACTOR.version, settings: LANGUAGE_EXTRACTOR.settings({ modelDir }) }),
      createEncoder: async ({ modelDir, onProgress }) => {
        // Progress per file in bytes: the fraction of the file being downloaded.
        const encoder = await createTextEncoder({ modelDir, onProgress: onProgress && ((p) => onProgress(p.total > 0 ? p.loaded / p.total : 0)) });
        return { dim: encoder.dim, encode: (words) => encoder.encode(words), dispose: () => void encoder.dispose() };
      },
    },
  };
}
