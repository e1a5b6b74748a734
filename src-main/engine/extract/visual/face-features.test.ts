import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EYE_SPAN_MM, expressionGeometry, FACE_COLUMNS, faceValues, focalLength, headTranslation, type FaceObservation, type MeshPoint } from './face-features';
import { humanDistDir } from './human-loader';
import { HUMAN_VERSION, VISUAL_EXTRACTOR } from './index';

/** A flat 468-point mesh at (x, y) with the named vertices moved where a test wants them. */
function mesh(at: Record<number, [number, number]>, x = 320, y = 180): MeshPoint[] {
  return Array.from({ length: 468 }, (_, i) => (at[i] ? [at[i][0], at[i][1], 0] : [x, y, 0]));
}

function observation(points: MeshPoint[], extra: Partial<FaceObservation> = {}): FaceObservation {
  return { mesh: points, score: 0.9, angle: { pitch: 0.1, yaw: 0, roll: -0.05 }, emotion: [{ emotion: 'happy', score: 0.7 }, { emotion: 'neutral', score: 0.3 }], ...extra };
}

describe('face features', () => {
  it('puts a face whose eyes straddle the image centre on the optical axis, at f * span_mm / span_px', () => {
    const m = mesh({ 33: [270, 180], 263: [370, 180] });
    const [tx, ty, tz] = headTranslation(observation(m), 640, 360);
    expect(tx).toBeCloseTo(0, 6);
    expect(ty).toBeCloseTo(0, 6);
    expect(tz).toBeCloseTo((focalLength(640, 360) * EYE_SPAN_MM) / 100, 6);
  });

  it('does not take a turned head for a farther one', () => {
    const m = mesh({ 33: [285, 180], 263: [355, 180] }); // span 70 px = 100 px * cos(0.7954)
    const yaw = Math.acos(0.7);
    const [, , turned] = headTranslation(observation(m, { angle: { pitch: 0, yaw, roll: 0 } }), 640, 360);
    const [, , frontal] = headTranslation(observation(mesh({ 33: [270, 180], 263: [370, 180] })), 640, 360);
    expect(turned).toBeCloseTo(frontal, 3);
  });

  it('reads raised mouth corners as a positive lip-corner lift', () => {
    const face = { 10: [320, 100], 152: [320, 300], 33: [270, 160], 263: [370, 160], 13: [320, 250], 14: [320, 256] } as Record<number, [number, number]>;
    const smile = expressionGeometry(mesh({ ...face, 61: [290, 240], 291: [350, 240] }));
    const frown = expressionGeometry(mesh({ ...face, 61: [290, 262], 291: [350, 262] }));
    expect(smile[2]).toBeGreaterThan(0);
    expect(frown[2]).toBeLessThan(0);
    expect(smile[0]).toBeCloseTo(6 / 100, 6); // mouth open: 6 px over a 100 px eye span
  });

  it('writes one finite value per column, emotions by name', () => {
    const values = faceValues(observation(mesh({ 33: [270, 180], 263: [370, 180], 5: [Number.NaN, 10] })), 640, 360);
    expect(values).toHaveLength(FACE_COLUMNS.length);
    expect(values.every(Number.isFinite)).toBe(true);
    expect(values[FACE_COLUMNS.indexOf('emo_happy')]).toBeCloseTo(0.7, 6);
    expect(values[FACE_COLUMNS.indexOf('emo_fear')]).toBe(0);
    expect(values[FACE_COLUMNS.indexOf('pose_Rx')]).toBeCloseTo(0.1, 6);
    expect(values[FACE_COLUMNS.indexOf('x_36')]).toBe(270); // iBUG 36 is mesh vertex 33
  });

  it('names the installed @vladmandic/human in the manifest settings', () => {
    const pkg = JSON.parse(readFileSync(path.join(humanDistDir(), '..', 'package.json'), 'utf8')) as { version: string };
    expect(pkg.version).toBe(HUMAN_VERSION);
    expect(VISUAL_EXTRACTOR.settings({ fps: 5 })).toMatchObject({ fps: 5, redetectEvery: 5, columns: 157, library: `@vladmandic/human@${pkg.version}` });
  });
});
