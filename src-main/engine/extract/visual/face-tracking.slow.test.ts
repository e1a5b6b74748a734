// Tracking on real model weights: a second, bigger face walking in must not steal the track.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { faceFrame, type Placement } from '../../../../testing/engine/extract/visual/face-frames';
import { H, landmarks, W } from '../../../../testing/engine/extract/visual/face-test-kit';
import { createFaceExtractor, type FaceExtractor, type FaceFrame } from './index';

const FPS = 10; // the tracker waits FPS frames (one second) before taking another face

let extractor: FaceExtractor;

// A fresh extractor per test: each one starts a new video with nothing tracked.
beforeEach(async () => {
  extractor = await createFaceExtractor({ fps: FPS });
}, 60_000);

afterEach(() => extractor?.dispose());

function xs(frame: FaceFrame): number[] {
  return landmarks(frame).map(([x]) => x);
}

describe('face tracking across frames', () => {
  it('keeps the first face while a bigger one is on screen, then waits a second before taking the other', async () => {
    const a = (i: number): Placement => ({ x: 40 + 3 * i, y: 90, size: 180 });
    const b: Placement = { x: 370, y: 50, size: 250, mirror: true };
    const seen: FaceFrame[] = [];
    for (let i = 0; i < 4; i++) seen.push(await extractor.frame(faceFrame(W, H, [a(i)]), W, H));
    for (let i = 4; i < 14; i++) seen.push(await extractor.frame(faceFrame(W, H, [a(i), b]), W, H));
    for (let i = 14; i < 14 + FPS + 2; i++) seen.push(await extractor.frame(faceFrame(W, H, [b]), W, H));

    // Frames 0-13: face A (left half), never B, although B is bigger.
    seen.slice(0, 14).forEach((frame, i) => {
      expect(frame.present, `frame ${i}`).toBe(true);
      const x = xs(frame);
      expect(Math.min(...x), `frame ${i}`).toBeGreaterThanOrEqual(a(i).x);
      expect(Math.max(...x), `frame ${i}`).toBeLessThanOrEqual(a(i).x + a(i).size);
    });
    // A leaves: missing for a second (not B's numbers), then B is the clip's face.
    seen.slice(14, 14 + FPS).forEach((frame, i) => expect(frame.present, `frame ${14 + i}`).toBe(false));
    for (const frame of seen.slice(14 + FPS)) {
      expect(frame.present).toBe(true);
      expect(Math.min(...xs(frame))).toBeGreaterThanOrEqual(b.x);
    }
  }, 120_000);

  it('follows a face that moves across the frame', async () => {
    for (let i = 0; i < 12; i++) {
      const p: Placement = { x: 60 + 25 * i, y: 60, size: 220 };
      const frame = await extractor.frame(faceFrame(W, H, [p]), W, H);
      expect(frame.present, `frame ${i}`).toBe(true);
      const x = xs(frame);
      expect(Math.min(...x), `frame ${i}`).toBeGreaterThanOrEqual(p.x);
      expect(Math.max(...x), `frame ${i}`).toBeLessThanOrEqual(p.x + p.size);
    }
  }, 120_000);
});
