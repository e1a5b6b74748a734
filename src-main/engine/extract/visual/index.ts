/**
 * Visual features per frame from the user's own videos: face found and tracked, 68 landmarks,
 * head pose, expression scores, presence. See docs/extraction.md ("Visual").
 */
import { FACE_COLUMNS, EYE_SPAN_MM } from './face-features';
import { faceSettings, type FaceExtractorOptions } from './face-extractor';

export { createFaceExtractor, DEFAULT_FPS, faceSettings } from './face-extractor';
export type { FaceExtractor, FaceExtractorOptions, FaceFrame, FaceSettings } from './face-extractor';
export { FACE_COLUMNS } from './face-features';

/** The @vladmandic/human version the features were made with (package.json pins it exactly). */
export const HUMAN_VERSION = '3.3.6';

/** What the manifest records about the visual extractor; a change to the numbers bumps `version`. */
export const VISUAL_EXTRACTOR = {
  id: 'dar-face-human',
  version: '1',
  /** The settings that decide the numbers, for the manifest. */
  settings(opts: FaceExtractorOptions = {}): Record<string, unknown> {
    const s = faceSettings(opts);
    return {
      library: `@vladmandic/human@${HUMAN_VERSION}`,
      backend: 'wasm',
      models: { detector: 'blazeface (MediaPipe BlazeFace, back camera)', mesh: 'facemesh (MediaPipe Face Mesh, 468 points)', emotion: 'emotion (Oarriaga, 7 classes)' },
      landmarks: 'iBUG 68 from the 468-point mesh (ibug68.ts)',
      fps: s.fps,
      maxFaces: s.maxFaces,
      redetectEvery: s.redetectEvery,
      cacheSensitivity: s.cacheSensitivity,
      minConfidence: s.minConfidence,
      focalLength: '500 px at 640x480, scaled with the frame (OpenFace default)',
      eyeSpanMm: EYE_SPAN_MM,
      columns: FACE_COLUMNS.length,
    };
  },
};
