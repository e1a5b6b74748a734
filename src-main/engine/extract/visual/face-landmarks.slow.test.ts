// The landmark table and the pose on real model weights: a mirrored face must give mirrored
// iBUG points, a face turned in the image a matching roll. Slow tier: ~8 frames on the models.
import { describe, expect, it } from 'vitest';
import { faceFrame, rotatedFaceFrame } from '../../../../testing/engine/extract/visual/face-frames';
import { ibugMirror } from './ibug68';
import { CENTRED_FACE, column, H, landmarks, useFaceExtractor, W } from '../../../../testing/engine/extract/visual/face-test-kit';
import type { FaceFrame } from './index';

const extractor = useFaceExtractor();
const FACE = CENTRED_FACE;

describe('landmarks and pose on the models', () => {
  it('maps mirrored faces onto mirrored iBUG points (the index table is symmetric)', async () => {
    const plain = landmarks(await extractor().frame(faceFrame(W, H, [FACE]), W, H));
    const mirrored = landmarks(await extractor().frame(faceFrame(W, H, [{ ...FACE, mirror: true }]), W, H));
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
    const upright = await extractor().frame(rotatedFaceFrame(W, H, 0), W, H);
    const turned = await extractor().frame(rotatedFaceFrame(W, H, 15), W, H);
    const rz = (f: FaceFrame) => column(f, 'pose_Rz');
    expect(rz(turned) - rz(upright)).toBeGreaterThan(0.2);
    expect(rz(turned) - rz(upright)).toBeLessThan(0.33);
    // and the landmarks turned with it: the image-left eye corner rose, the right one sank
    expect(column(turned, 'y_36')).toBeLessThan(column(upright, 'y_36'));
    expect(column(turned, 'y_45')).toBeGreaterThan(column(upright, 'y_45'));
  }, 30_000);

});
