// The face extractor on real model weights (the ones inside @vladmandic/human) and the
// fixture face pasted where the test knows it is.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { faceFrame, noiseFrame } from '../../../../testing/engine/extract/visual/face-frames';
import { DarError } from '../../errors';
import { CENTRED_FACE, column, H, landmarks, useFaceExtractor, W } from '../../../../testing/engine/extract/visual/face-test-kit';
import { FACE_COLUMNS } from './index';

const extractor = useFaceExtractor();
const FACE = CENTRED_FACE;

describe('createFaceExtractor', () => {
  it('finds the face and puts all 68 landmarks inside it, in anatomical order', async () => {
    const frame = await extractor().frame(faceFrame(W, H, [FACE]), W, H);
    expect(frame.present).toBe(true);
    expect(column(frame, 'confidence')).toBeGreaterThan(0.5);
    const pts = landmarks(frame);
    for (const [x, y] of pts) {
      expect(x).toBeGreaterThanOrEqual(FACE.x);
      expect(x).toBeLessThanOrEqual(FACE.x + FACE.size);
      expect(y).toBeGreaterThanOrEqual(FACE.y);
      expect(y).toBeLessThanOrEqual(FACE.y + FACE.size);
    }
    const y = (k: number) => pts[k][1];
    const x = (k: number) => pts[k][0];
    expect(Math.max(...pts.slice(0, 17).map((p) => p[1]))).toBe(y(8)); // the chin is the jaw's lowest point
    expect(y(19)).toBeLessThan(y(37)); // brow above eye
    expect(y(37)).toBeLessThan(y(30)); // eye above nose tip
    expect(y(30)).toBeLessThan(y(51)); // nose above upper lip
    expect(y(51)).toBeLessThan(y(57)); // upper lip above lower lip
    expect(x(36)).toBeLessThan(x(39)); // subject's right eye on the image's left
    expect(x(39)).toBeLessThan(x(42));
    expect(x(48)).toBeLessThan(x(54));
  }, 30_000);

  it('reports a frame of noise and a blank frame as missing, not as a face of zeros', async () => {
    for (const rgb of [noiseFrame(W, H), new Uint8Array(W * H * 3).fill(128)]) {
      const frame = await extractor().frame(rgb, W, H);
      expect(frame.present).toBe(false);
      expect(frame.values).toHaveLength(FACE_COLUMNS.length);
    }
  }, 30_000);

  it('gives finite values in the stable column layout', async () => {
    const frame = await extractor().frame(faceFrame(W, H, [FACE]), W, H);
    expect(extractor().columns).toEqual(FACE_COLUMNS);
    expect(extractor().columns).toHaveLength(157);
    expect(extractor().columns.slice(0, 3)).toEqual(['confidence', 'x_0', 'x_1']);
    expect(extractor().columns.slice(137, 143)).toEqual(['pose_Tx', 'pose_Ty', 'pose_Tz', 'pose_Rx', 'pose_Ry', 'pose_Rz']);
    expect(frame.values.every(Number.isFinite)).toBe(true);
    const emotions = FACE_COLUMNS.filter((c) => c.startsWith('emo_')).map((c) => column(frame, c));
    expect(emotions.reduce((a, b) => a + b, 0)).toBeGreaterThan(0.9);
    // A face filling 256 of 640 pixels is about a third of a metre from the assumed camera.
    expect(column(frame, 'pose_Tz')).toBeGreaterThan(200);
    expect(column(frame, 'pose_Tz')).toBeLessThan(600);
  }, 30_000);

  it('keeps the tensor count flat from frame to frame', async () => {
    const rgb = faceFrame(W, H, [FACE]);
    await extractor().frame(rgb, W, H);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await extractor().frame(i === 1 ? noiseFrame(W, H) : rgb, W, H);
    expect(tf.memory().numTensors).toBe(before);
  }, 30_000);

  it('refuses a buffer that does not match the frame size', async () => {
    const err = await extractor().frame(new Uint8Array(10), W, H).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DarError);
    expect((err as DarError).code).toBe('ARG_INVALID');
  });
});
