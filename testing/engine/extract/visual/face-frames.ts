/**
 * Synthetic video frames for the face extractor tests: the one fixture face
 * (face-256.rgb.gz, see scripts/fixtures/make_face_fixture.ts) pasted, scaled and optionally
 * mirrored, onto a plain or noisy background, so a test knows where each face truly is.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/** Side of the fixture face image, in pixels. */
export const FACE_SIZE = 256;

let face: Uint8Array | undefined;

/** The fixture face: 256x256 RGB bytes. */
export function fixtureFace(): Uint8Array {
  face ??= new Uint8Array(gunzipSync(readFileSync(path.join(import.meta.dirname, 'face-256.rgb.gz'))));
  return face;
}

/** Where to paste one face: top-left corner and side in the frame, and whether to mirror it. */
export interface Placement {
  x: number;
  y: number;
  size: number;
  mirror?: boolean;
}

/** A frame of `width` x `height` RGB, grey (or the given byte), with faces pasted (nearest-neighbour scaling). */
export function faceFrame(width: number, height: number, faces: readonly Placement[], background = 96): Uint8Array {
  const out = new Uint8Array(width * height * 3).fill(background);
  const src = fixtureFace();
  for (const p of faces) {
    for (let y = 0; y < p.size; y++) {
      const fy = p.y + y;
      if (fy < 0 || fy >= height) continue;
      const sy = Math.min(FACE_SIZE - 1, Math.floor((y * FACE_SIZE) / p.size));
      for (let x = 0; x < p.size; x++) {
        const fx = p.x + x;
        if (fx < 0 || fx >= width) continue;
        let sx = Math.min(FACE_SIZE - 1, Math.floor((x * FACE_SIZE) / p.size));
        if (p.mirror) sx = FACE_SIZE - 1 - sx;
        out.set(src.subarray((sy * FACE_SIZE + sx) * 3, (sy * FACE_SIZE + sx) * 3 + 3), (fy * width + fx) * 3);
      }
    }
  }
  return out;
}

/** A frame of uniform random bytes from a fixed seed (no face in it). */
export function noiseFrame(width: number, height: number, seed = 1): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < out.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = s & 255;
  }
  return out;
}

/** The fixture face, unscaled, centred on the frame and turned `degrees` clockwise on screen (y points down). */
export function rotatedFaceFrame(width: number, height: number, degrees: number, background = 96): Uint8Array {
  const src = fixtureFace();
  const out = new Uint8Array(width * height * 3).fill(background);
  const a = (degrees * Math.PI) / 180;
  const [c, s] = [Math.cos(a), Math.sin(a)];
  const half = FACE_SIZE / 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Each output pixel reads the source pixel that the rotation would bring there.
      const [dx, dy] = [x - width / 2, y - height / 2];
      const sx = Math.round(c * dx + s * dy + half);
      const sy = Math.round(-s * dx + c * dy + half);
      if (sx < 0 || sx >= FACE_SIZE || sy < 0 || sy >= FACE_SIZE) continue;
      out.set(src.subarray((sy * FACE_SIZE + sx) * 3, (sy * FACE_SIZE + sx) * 3 + 3), (y * width + x) * 3);
    }
  }
  return out;
}
