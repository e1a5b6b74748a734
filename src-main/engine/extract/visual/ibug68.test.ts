import { describe, expect, it } from 'vitest';
import { IBUG68_FROM_MESH, ibugMirror } from './ibug68';

describe('IBUG68_FROM_MESH', () => {
  it('names 68 distinct vertices of the 468-point mesh', () => {
    expect(IBUG68_FROM_MESH).toHaveLength(68);
    expect(new Set(IBUG68_FROM_MESH).size).toBe(68);
    for (const v of IBUG68_FROM_MESH) expect(v >= 0 && v < 468).toBe(true);
  });

  it('mirrors iBUG points in pairs, the midline onto itself', () => {
    for (let k = 0; k < 68; k++) expect(ibugMirror(ibugMirror(k))).toBe(k);
    expect([8, 27, 28, 29, 30, 33, 51, 57, 62, 66].every((k) => ibugMirror(k) === k)).toBe(true);
    expect([ibugMirror(0), ibugMirror(17), ibugMirror(36), ibugMirror(39), ibugMirror(48), ibugMirror(60)]).toEqual([16, 26, 45, 42, 54, 64]);
  });
});
