/** What the face extractor tests share: the frame size, the centred face, one extractor per file, column readers. */
import { afterAll, beforeAll } from 'vitest';
import { createFaceExtractor, FACE_COLUMNS, type FaceExtractor, type FaceFrame } from '../../../../src-main/engine/extract/visual';
import type { Placement } from './face-frames';

/** Frame width and height of the tests (MOSI-like 640x360). */
export const W = 640;
export const H = 360;

/** The fixture face pasted unscaled in the middle of the frame. */
export const CENTRED_FACE: Placement = { x: 200, y: 50, size: 256 };

/** One extractor for the file's tests (created before, disposed after); call at the top level. */
export function useFaceExtractor(fps = 10): () => FaceExtractor {
  let extractor: FaceExtractor | undefined;
  beforeAll(async () => {
    extractor = await createFaceExtractor({ fps });
  }, 60_000);
  afterAll(() => extractor?.dispose());
  return () => {
    if (!extractor) throw new Error('face extractor not created yet');
    return extractor;
  };
}

/** One named column of a frame's values. */
export function column(frame: FaceFrame, name: string): number {
  const i = FACE_COLUMNS.indexOf(name);
  if (i < 0) throw new Error(`no column ${name}`);
  return frame.values[i];
}

/** The 68 landmarks of a frame as [x, y] pairs, in iBUG order. */
export function landmarks(frame: FaceFrame): [number, number][] {
  return Array.from({ length: 68 }, (_, k) => [column(frame, `x_${k}`), column(frame, `y_${k}`)]);
}
