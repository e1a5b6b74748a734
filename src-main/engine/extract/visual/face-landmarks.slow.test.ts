// The landmark table and the pose on real model weights: a mirrored face must give mirrored
// iBUG points, a face turned in the image a matching roll. Slow tier: ~8 frames on the models.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faceFrame, rotatedFaceFrame } from '../../../../testing/engine/extract/visual/face-frames';
import { ibugMirror } from './ibug68';
import { createFaceExtractor, FACE_COLUMNS, type FaceExtractor, type FaceFrame } from './index';

const W = 640;
const H = 360;
const FACE = { x: 200, y: 50, size: 256 };

let extractor: FaceExtractor;

beforeAll(async () => {
  extractor = await createFaceExtractor({ fps: 10 });
}, 60_000);

afterAll(() => extractor?.dispose());

function column(frame: FaceFrame, name: string): number {
  return frame.values[FACE_COLUMNS.indexOf(name)];
}

function points(frame: FaceFrame): [number, number][] {
  return Array.from({ length: 68 }, (_, k) => [column(frame, `x_${k}`), column(frame, `y_${k}`)]);
}

describe('landmarks and pose on the models', () => {
  it('maps mirrored faces onto mirrored iBUG points (the index table is symmetric)', async () => {
    const plain = points(await extractor.frame(faceFrame(W, H, [FACE]), W, H));
    const mirrored = points(await extractor.frame(faceFrame(W, H, [{ ...FACE, mirror: true }]), W, H));
    const axis = 2 * FACE.x + FACE.size - 1;
    const eyeSpan = plain[45][0] - plain[36][0];
    for (let k = 0; k < 68; k++) {
      const m = ibugMirror(k);
      const dx = mirrored[k][0] - (axis - plain[m][0]);
      const dy = mirrored[k][1] - plain[m][1];
      expect(Math.hypot(dx, dy) / eyeSpan, `iBUG ${k} vs mirror of ${m}`).toBeLessThan(0.09); // measured worst: 0.06
    }
  }, 30_000);

  it('reads a face turned 15 degrees clockwise in the image as pose_Rz about 0.26 rad larger', async () => {
    const upright = await extractor.frame(rotatedFaceFrame(W, H, 0), W, H);
    const turned = await extractor.frame(rotatedFaceFrame(W, H, 15), W, H);
    const rz = (f: FaceFrame) => column(f, 'pose_Rz');
    expect(rz(turned) - rz(upright)).toBeGreaterThan(0.2);
    expect(rz(turned) - rz(upright)).toBeLessThan(0.33);
    // and the landmarks turned with it: the image-left eye corner rose, the right one sank
    expect(column(turned, 'y_36')).toBeLessThan(column(upright, 'y_36'));
    expect(column(turned, 'y_45')).toBeGreaterThan(column(upright, 'y_45'));
  }, 30_000);

});
